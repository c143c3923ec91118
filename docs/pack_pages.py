"""Developer tool: remake the README's pictures of the PDF packs from the demo campaign.

`.venv/bin/python docs/pack_pages.py` builds the demo in a throwaway folder, exports each
pack and saves one page of each as docs/pack-*.png. Not part of the app or its tests.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

OUT = Path(__file__).parent
PAGES = {  # pack, stage, page to show (1-based), picture
    "info": (None, 1, "pack-information.png"),
    "panel": ("Video interview", 6, "pack-panel-score-sheet.png"),
    "letters": ("Technical exercise", 2, "pack-outcome-letter.png"),
    "report": (None, 2, "pack-campaign-report.png"),
}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="recruit-docs-") as folder:
        work = Path(folder)
        os.environ["RECRUIT_APP_HOME"] = str(work / "home")
        from exports.preview import page_images
        from recruit_app.services.adverts import campaign_id_for
        from recruit_app.services.context import Actor, ServiceContext
        from recruit_app.services.database import open_db
        from recruit_app.services.demo import build_demo
        from recruit_app.services.packs import export_pack
        from recruit_app.services.stages import stages_overview

        db = open_db(str(work / "demo.sqlite3"))
        ctx = ServiceContext(db, Actor("Docs"), organisation="Home Office")
        build_demo(ctx)
        campaign_id = campaign_id_for(ctx, "283922")
        stages = {s.name: s.id for s in stages_overview(ctx, campaign_id).stages}
        for key, (stage, page, picture) in PAGES.items():
            path = work / f"{key}.pdf"
            stage_id = stages[stage] if stage else None
            export_pack(ctx, campaign_id, key, path, stage_id=stage_id, merge=True)
            image = page_images(path, pages=page, width=900)[page - 1]
            (OUT / picture).write_bytes(image)
            print(f"wrote {picture}")
        db.dispose()


if __name__ == "__main__":
    main()
