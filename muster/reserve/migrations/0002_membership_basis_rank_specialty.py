"""Reserve periods: kind (soldier or officer), uncategorised cases, category 2 → 1, rank, specialty, fitness, reporting and removal (MSL Art. 24-25, 45)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_indexes_without_redundancy'),
        ('reserve', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='reservemembership',
            name='reserve_category_1_2',
        ),
        migrations.AddField(
            model_name='reservemembership',
            name='category1_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='reservemembership',
            name='kind',
            field=models.CharField(choices=[('nco_soldier', 'NCO or soldier'), ('officer', 'Reserve officer')], default='nco_soldier', max_length=12),
        ),
        migrations.AddField(
            model_name='reservemembership',
            name='rank',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name='reservemembership',
            name='removal_decided_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='reservemembership',
            name='removal_ref',
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AddField(
            model_name='reservemembership',
            name='reported_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='reservemembership',
            name='specialty',
            field=models.CharField(blank=True, max_length=24),
        ),
        migrations.AddField(
            model_name='reservemembership',
            name='unfit_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='reservemembership',
            name='basis_code',
            field=models.CharField(max_length=24),
        ),
        migrations.AlterField(
            model_name='reservemembership',
            name='category',
            field=models.PositiveSmallIntegerField(choices=[(1, 'Category 1'), (2, 'Category 2')], null=True),
        ),
        migrations.AddIndex(
            model_name='reservemembership',
            index=models.Index(fields=['specialty'], name='reserve_specialty'),
        ),
        migrations.AddConstraint(
            model_name='reservemembership',
            constraint=models.CheckConstraint(condition=models.Q(('category__isnull', True), ('category__in', [1, 2]), _connector='OR'), name='reserve_category_1_2'),
        ),
        migrations.AddConstraint(
            model_name='reservemembership',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('category__isnull', True), ('kind', 'officer')), models.Q(('category__isnull', False), ('kind', 'nco_soldier')), models.Q(('basis_code__startswith', 'RUNCAT_'), ('kind', 'nco_soldier')), _connector='OR'), name='reserve_category_by_kind'),
        ),
        migrations.AddConstraint(
            model_name='reservemembership',
            constraint=models.CheckConstraint(condition=models.Q(('category1_on__isnull', True), ('category', 2), _connector='OR'), name='reserve_category1_from_2'),
        ),
        migrations.AddConstraint(
            model_name='reservemembership',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_from__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='reserve_period_order'),
        ),
    ]
