"""Row locks for use cases that read, decide and then write.

A use case that checks something (who is already in a campaign, the merit order of a
stage) and writes on the strength of it must not let another desktop change what it
checked in between. On PostgreSQL it locks the row that everything it checked hangs from
(the campaign, the stage), so such use cases on the same campaign or stage run one after
another. On SQLite there is nothing to add: every transaction that writes already holds
the database's single write lock from its first statement (see `db.engine`).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from db.models import Campaign, Stage


def lock_campaign(session: Session, campaign_id: int) -> None:
    """Wait for, then hold until commit, the campaign's row lock."""
    session.exec(select(Campaign.id).where(Campaign.id == campaign_id).with_for_update())


def lock_stage(session: Session, stage_id: int) -> None:
    """Wait for, then hold until commit, the stage's row lock (its scores, matrix, panel,
    outcomes and results are decided under it)."""
    session.exec(select(Stage.id).where(Stage.id == stage_id).with_for_update())


def lock_stages(session: Session, campaign_id: int) -> None:
    """Every stage of a campaign (for changes across stages: the assessment matrix)."""
    session.exec(
        select(Stage.id)
        .where(Stage.campaign_id == campaign_id)
        .order_by(col(Stage.id))  # always the same order, so two such changes cannot deadlock
        .with_for_update()
    )
