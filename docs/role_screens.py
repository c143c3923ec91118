"""Developer tool: the first screen of a campaign for a recruiting manager and for a panel
member, as the README shows them.

Run under a display at laptop size (e.g. `xvfb-run -a -s "-screen 0 1366x768x24"
.venv/bin/python docs/role_screens.py`) with RECRUIT_APP_HOME pointing at a folder where
`recruit-app demo` has been run. Not part of the app or its tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from db.models import Person
from recruit_app import paths
from recruit_app.services.campaigns import find_campaign
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.settings import Settings
from ui.campaign.window import CampaignWindow
from ui.context import AppContext

OUT = Path(__file__).parent
WHO = {
    "first-screen-manager.png": ("priya.raman@example.gov.uk", "recruiting_manager"),
    "first-screen-panel-member.png": ("tom.okonkwo@example.gov.uk", "panel_member"),
}


def main() -> None:
    app = QApplication(sys.argv)
    url = str(paths.data_dir() / "recruit.sqlite3")
    remaining = list(WHO.items())

    def next_shot() -> None:
        if not remaining:
            app.quit()
            return
        name, (email, role) = remaining.pop(0)
        db = open_db(url)
        with db.session() as session:
            person = session.exec(select(Person).where(Person.email == email)).one()
            actor = Actor(person.name, role=role, person_id=person.id)
        context = AppContext(Settings(), actor=actor)
        context.use_database(db)
        campaign = find_campaign(context.service_context(), "283922")
        window = CampaignWindow(context, campaign.id, campaign.reference, campaign.title)
        window.resize(1366, 728)
        window.move(0, 0)
        window.show()

        def shoot() -> None:
            window.grab().save(str(OUT / name))
            window.close()
            context.shutdown()
            next_shot()

        QTimer.singleShot(3000, shoot)

    QTimer.singleShot(0, next_shot)
    app.exec()


if __name__ == "__main__":
    main()
