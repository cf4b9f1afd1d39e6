import os

from django.core.wsgi import get_wsgi_application

from config import env

# MUSTER_SETTINGS=production selects the production settings (docs/deployment.md).
os.environ["DJANGO_SETTINGS_MODULE"] = env.settings_module()
application = get_wsgi_application()
