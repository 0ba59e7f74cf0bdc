"""Initial schema: reference data, referrals and their versions, quarantine, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 04:37:38.234943
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.String(length=80), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('justification', sa.Text(), nullable=True),
    sa.Column('recipient', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_at_utc'), ['at_utc'], unique=False)
        batch_op.create_index('ix_audit_event_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('ethnicity_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('five_group', sa.String(length=20), nullable=False),
    sa.Column('maps_to_sde18', sa.String(length=4), nullable=True),
    sa.Column('means_not_stated', sa.Boolean(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('unconfirmed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ethnicity_code')),
    sa.UniqueConstraint('scheme', 'code', 'valid_from', name=op.f('uq_ethnicity_code_scheme_code_valid_from'))
    )
    op.create_table('force',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('data_police_id', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('short_name', sa.String(length=80), nullable=False),
    sa.Column('country', sa.String(length=40), nullable=False),
    sa.Column('in_scope', sa.Boolean(), nullable=False),
    sa.Column('cps_area', sa.String(length=80), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('unconfirmed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_force')),
    sa.UniqueConstraint('code', 'valid_from', name=op.f('uq_force_code_valid_from'))
    )
    with op.batch_alter_table('force', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_force_code'), ['code'], unique=False)

    op.create_table('force_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('force_code', sa.String(length=20), nullable=False),
    sa.Column('alias', sa.String(length=120), nullable=False),
    sa.Column('alias_key', sa.String(length=120), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('unconfirmed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_force_alias')),
    sa.UniqueConstraint('alias_key', 'valid_from', name=op.f('uq_force_alias_alias_key_valid_from'))
    )
    op.create_table('import_batch',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('source_name', sa.String(length=400), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=True),
    sa.Column('carrier', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('resubmitted', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('error_code', sa.String(length=40), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    op.create_table('offence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('statute', sa.String(length=200), nullable=True),
    sa.Column('is_sexual', sa.Boolean(), nullable=False),
    sa.Column('is_rape', sa.Boolean(), nullable=False),
    sa.Column('ho_code', sa.String(length=60), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('unconfirmed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offence')),
    sa.UniqueConstraint('scheme', 'code', 'valid_from', name=op.f('uq_offence_scheme_code_valid_from'))
    )
    op.create_table('outcome_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=400), nullable=False),
    sa.Column('ho_group', sa.String(length=200), nullable=True),
    sa.Column('nfa_category', sa.String(length=60), nullable=True),
    sa.Column('is_nfa', sa.Boolean(), nullable=False),
    sa.Column('decided_by', sa.String(length=20), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('unconfirmed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_code')),
    sa.UniqueConstraint('code', 'valid_from', name=op.f('uq_outcome_code_code_valid_from'))
    )
    op.create_table('reference_dataset',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=400), nullable=False),
    sa.Column('loaded_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_reference_dataset'))
    )
    op.create_table('referral',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('force_code', sa.String(length=20), nullable=False),
    sa.Column('force_reference', sa.String(length=64), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('involves_rape', sa.Boolean(), nullable=False),
    sa.Column('referred_on', sa.String(length=10), nullable=False),
    sa.Column('first_received_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_changed_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral')),
    sa.UniqueConstraint('force_code', 'force_reference', name=op.f('uq_referral_force_code_force_reference'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index('ix_referral_force_reference', ['force_reference'], unique=False)
        batch_op.create_index('ix_referral_last_changed', ['last_changed_at_utc'], unique=False)

    op.create_table('referral_version',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('import_batch_id', sa.Uuid(), nullable=False),
    sa.Column('received_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('referred_on', sa.String(length=10), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('officer_name', sa.String(length=200), nullable=True),
    sa.Column('officer_email', sa.String(length=320), nullable=True),
    sa.Column('officer_phone', sa.String(length=60), nullable=True),
    sa.Column('involves_rape', sa.Boolean(), nullable=False),
    sa.Column('document', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('warnings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_referral_version_import_batch_id_import_batch')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_version_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_version')),
    sa.UniqueConstraint('referral_id', 'number', name=op.f('uq_referral_version_referral_id_number'))
    )
    with op.batch_alter_table('referral_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_version_import_batch_id'), ['import_batch_id'], unique=False)

    op.create_table('crime',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('crime_reference', sa.String(length=64), nullable=False),
    sa.Column('recorded_on', sa.String(length=10), nullable=True),
    sa.Column('offence_scheme', sa.String(length=20), nullable=False),
    sa.Column('offence_code', sa.String(length=60), nullable=False),
    sa.Column('offence_description', sa.String(length=400), nullable=True),
    sa.Column('offence_from', sa.String(length=10), nullable=True),
    sa.Column('offence_to', sa.String(length=10), nullable=True),
    sa.Column('outcome_code', sa.String(length=20), nullable=True),
    sa.Column('is_sexual', sa.Boolean(), nullable=True),
    sa.Column('is_rape', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['referral_version.id'], name=op.f('fk_crime_version_id_referral_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crime')),
    sa.UniqueConstraint('version_id', 'crime_reference', name=op.f('uq_crime_version_id_crime_reference'))
    )
    with op.batch_alter_table('crime', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crime_crime_reference'), ['crime_reference'], unique=False)

    op.create_table('person_record',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('person_ref', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('forenames', sa.String(length=200), nullable=True),
    sa.Column('surname', sa.String(length=200), nullable=True),
    sa.Column('aliases', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('date_of_birth', sa.String(length=10), nullable=True),
    sa.Column('sex', sa.String(length=10), nullable=True),
    sa.Column('alive_status', sa.String(length=20), nullable=True),
    sa.Column('alive_status_checked_on', sa.String(length=10), nullable=True),
    sa.Column('addresses', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('identifiers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('interview', sa.String(length=20), nullable=True),
    sa.Column('arrested', sa.Boolean(), nullable=True),
    sa.Column('age_at_first_offence', sa.Integer(), nullable=True),
    sa.Column('review_support', sa.String(length=30), nullable=True),
    sa.Column('review_support_recorded_on', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['version_id'], ['referral_version.id'], name=op.f('fk_person_record_version_id_referral_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_record')),
    sa.UniqueConstraint('version_id', 'person_ref', name=op.f('uq_person_record_version_id_person_ref'))
    )
    op.create_table('previous_review',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('reviewed_by', sa.String(length=200), nullable=True),
    sa.Column('completed_on', sa.String(length=10), nullable=True),
    sa.Column('reference', sa.String(length=120), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['version_id'], ['referral_version.id'], name=op.f('fk_previous_review_version_id_referral_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_previous_review'))
    )
    with op.batch_alter_table('previous_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_previous_review_version_id'), ['version_id'], unique=False)

    op.create_table('rejected_referral',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('import_batch_id', sa.Uuid(), nullable=False),
    sa.Column('force_code', sa.String(length=20), nullable=True),
    sa.Column('force_as_sent', sa.String(length=200), nullable=True),
    sa.Column('force_reference', sa.String(length=200), nullable=True),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('raw_text', sa.Text(), nullable=False),
    sa.Column('document', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('raw_sha256', sa.String(length=64), nullable=False),
    sa.Column('problems', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('received_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=120), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=True),
    sa.Column('resolved_by_version_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_rejected_referral_import_batch_id_import_batch')),
    sa.ForeignKeyConstraint(['resolved_by_version_id'], ['referral_version.id'], name=op.f('fk_rejected_referral_resolved_by_version_id_referral_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_referral'))
    )
    with op.batch_alter_table('rejected_referral', schema=None) as batch_op:
        batch_op.create_index('ix_rejected_referral_identity', ['force_reference', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_rejected_referral_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index('ix_rejected_referral_raw', ['raw_sha256'], unique=False)

    op.create_table('crime_party',
    sa.Column('crime_id', sa.Uuid(), nullable=False),
    sa.Column('person_record_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['crime_id'], ['crime.id'], name=op.f('fk_crime_party_crime_id_crime')),
    sa.ForeignKeyConstraint(['person_record_id'], ['person_record.id'], name=op.f('fk_crime_party_person_record_id_person_record')),
    sa.PrimaryKeyConstraint('crime_id', 'person_record_id', name=op.f('pk_crime_party'))
    )
    with op.batch_alter_table('crime_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crime_party_person_record_id'), ['person_record_id'], unique=False)

    op.create_table('ethnicity_observation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_record_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('basis', sa.String(length=20), nullable=False),
    sa.Column('recorded_on', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['person_record_id'], ['person_record.id'], name=op.f('fk_ethnicity_observation_person_record_id_person_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ethnicity_observation'))
    )
    with op.batch_alter_table('ethnicity_observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ethnicity_observation_person_record_id'), ['person_record_id'], unique=False)

    op.create_table('nationality',
    sa.Column('person_record_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['person_record_id'], ['person_record.id'], name=op.f('fk_nationality_person_record_id_person_record')),
    sa.PrimaryKeyConstraint('person_record_id', 'code', name=op.f('pk_nationality'))
    )
    op.create_table('suspect_decision',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('suspect_id', sa.Uuid(), nullable=False),
    sa.Column('crime_id', sa.Uuid(), nullable=True),
    sa.Column('decided_by', sa.String(length=10), nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=False),
    sa.Column('outcome_code', sa.String(length=20), nullable=True),
    sa.Column('decided_on', sa.String(length=10), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['crime_id'], ['crime.id'], name=op.f('fk_suspect_decision_crime_id_crime')),
    sa.ForeignKeyConstraint(['suspect_id'], ['person_record.id'], name=op.f('fk_suspect_decision_suspect_id_person_record')),
    sa.ForeignKeyConstraint(['version_id'], ['referral_version.id'], name=op.f('fk_suspect_decision_version_id_referral_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suspect_decision'))
    )
    with op.batch_alter_table('suspect_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suspect_decision_suspect_id'), ['suspect_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suspect_decision_version_id'), ['version_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('suspect_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suspect_decision_version_id'))
        batch_op.drop_index(batch_op.f('ix_suspect_decision_suspect_id'))

    op.drop_table('suspect_decision')
    op.drop_table('nationality')
    with op.batch_alter_table('ethnicity_observation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ethnicity_observation_person_record_id'))

    op.drop_table('ethnicity_observation')
    with op.batch_alter_table('crime_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crime_party_person_record_id'))

    op.drop_table('crime_party')
    with op.batch_alter_table('rejected_referral', schema=None) as batch_op:
        batch_op.drop_index('ix_rejected_referral_raw')
        batch_op.drop_index(batch_op.f('ix_rejected_referral_import_batch_id'))
        batch_op.drop_index('ix_rejected_referral_identity')

    op.drop_table('rejected_referral')
    with op.batch_alter_table('previous_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_previous_review_version_id'))

    op.drop_table('previous_review')
    op.drop_table('person_record')
    with op.batch_alter_table('crime', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crime_crime_reference'))

    op.drop_table('crime')
    with op.batch_alter_table('referral_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_version_import_batch_id'))

    op.drop_table('referral_version')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_last_changed')
        batch_op.drop_index('ix_referral_force_reference')

    op.drop_table('referral')
    op.drop_table('reference_dataset')
    op.drop_table('outcome_code')
    op.drop_table('offence')
    op.drop_table('import_batch')
    op.drop_table('force_alias')
    with op.batch_alter_table('force', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_force_code'))

    op.drop_table('force')
    op.drop_table('ethnicity_code')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_subject')
        batch_op.drop_index(batch_op.f('ix_audit_event_at_utc'))

    op.drop_table('audit_event')

