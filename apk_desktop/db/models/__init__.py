"""All mapped classes; importing this package registers every table on ``Base.metadata``."""

from apk_desktop.db.models import assessments, plans, printed_sheets, sessions  # noqa: F401
from apk_desktop.db.models.project import EducationArea, KeyActivity, Project, ProjectMember
from apk_desktop.db.models.roster import Assistant, Employment, Position

__all__ = [
    "Assistant",
    "EducationArea",
    "Employment",
    "KeyActivity",
    "Position",
    "Project",
    "ProjectMember",
]
