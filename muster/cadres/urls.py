from django.urls import path

from muster.cadres import views_assessment, views_criteria, views_positions, views_training

app_name = "cadres"

urlpatterns = [
    path("", views_positions.index, name="index"),
    path("positions/<str:code>/", views_positions.command, name="command"),
    path("positions/<str:code>/appoint/", views_positions.appoint, name="appoint"),
    path("positions/<str:code>/dismiss/", views_positions.dismiss, name="dismiss"),
    path("positions/<str:code>/designate/", views_positions.designate, name="designate"),
    path("training/", views_training.courses, name="courses"),
    path("training/new/", views_training.course_create, name="course_create"),
    path(
        "training/<int:course_id>/sessions/new/",
        views_training.session_create,
        name="session_create",
    ),
    path("training/sessions/<int:session_id>/", views_training.session, name="session"),
    path("training/sessions/<int:session_id>/enrol/", views_training.enrol, name="enrol"),
    path("training/enrolments/<int:enrolment_id>/result/", views_training.result, name="result"),
    path("targets/", views_training.targets, name="targets"),
    path("targets/set/", views_training.target_set, name="target_set"),
    path("assessments/", views_assessment.assessments, name="assessments"),
    path("criteria/", views_criteria.criteria, name="criteria"),
    path("criteria/save/", views_criteria.criteria_save, name="criteria_save"),
    path(
        "assessments/<int:set_id>/record/",
        views_assessment.assessment_record,
        name="assessment_record",
    ),
]
