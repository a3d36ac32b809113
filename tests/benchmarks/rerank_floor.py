"""The floor of the re-rank benchmark: one hand-written ``INSERT ... SELECT`` of the same rows.

Written from the documentation only (docs/risk-model.md for the RFG assessment, docs/ogrs3.md
and the shared risk notes for OGRS3), not from the code it judges: no import of
``cohorts.risk.scoring``, ``assessing`` or ``ogrs3.run``. It reads the model version's JSON
as stored and writes its numbers into the SQL.

One statement: a data-modifying CTE inserts the assessments (score, band, rank and the
contributions, largest first) and the statement's own INSERT writes the OGRS3 results of the
same people. It leaves out what the benchmark's data does not hold: needs assessed on the
pathways (none are loaded) and officers' OGRS3 corrections (none are recorded), and it writes
a shorter "Cannot score" sentence than the run (the benchmark compares the input that stopped
the score, not the sentence).
"""

from __future__ import annotations

import datetime

ASSESSMENT_COLUMNS = (
    "run_id, nominal_id, model_version_id, assessed_on, score, band, band_order, is_member,"
    " rank, in_custody, out_of_area, contributions"
)
OGRS3_COLUMNS = (
    "run_id, nominal_id, assessed_on, model_version, sex, date_of_birth, offence_category,"
    " offence_name, sanction, conviction_date, previous_sanctions, first_sanction_date,"
    " follow_up_start, released, corrections, one_year, two_year, one_year_percent,"
    " two_year_percent, band, unscored_input, unscored_reason"
)

# OGRS3 (docs/ogrs3.md, "Set-based: the same calculation in SQL").
OGRS3_CATEGORIES = """
    ('violence', 0.0), ('robbery', -0.634795912), ('public_order', 0.181917975),
    ('sexual_not_child', 0.003276327), ('sexual_child', -0.653434071),
    ('soliciting', 0.760608858), ('burglary_domestic', -0.12394352),
    ('burglary_other', 0.240604429), ('theft_non_motor', 0.661244321),
    ('handling', 0.351866973), ('fraud_forgery', 0.159910192),
    ('absconding_bail', 0.733378677), ('vehicle_taking', 0.380059431),
    ('theft_from_vehicle', 0.427225615), ('other_motoring', 0.262228428),
    ('drink_driving', -0.121439408), ('criminal_damage', 0.204960477),
    ('drug_import_export', -0.795556373), ('drug_possession_supply', 0.077165871),
    ('other', -0.060667525)"""
OGRS3_AGE_BANDS = """
    (10, 11, 0.0, -0.785038489), (12, 13, 0.083922902, -0.613852078),
    (14, 15, 0.075775765, -0.669521331), (16, 17, -0.061594199, -0.959179629),
    (18, 20, -0.625103618, -0.897480934), (21, 24, -1.051515067, -1.028488454),
    (25, 29, -1.166679288, -1.052777806), (30, 34, -1.325976554, -1.129127959),
    (35, 39, -1.368045933, -1.42187494), (40, 49, -1.499690953, -1.524652221),
    (50, NULL, -2.025261458, -2.44983716)"""

FLOOR_SQL = """
WITH
due_any AS (
    SELECT nominal_id, TRUE AS member FROM cohorts_cohortmembership
     WHERE entered_on <= {day} AND (exited_on IS NULL OR exited_on > {day})
    UNION ALL SELECT nominal_id, FALSE FROM risk_detectedoffence
     WHERE committed_on > {activity} AND committed_on <= {day}
    UNION ALL SELECT nominal_id, FALSE FROM risk_arrest
     WHERE arrested_on > {activity} AND arrested_on <= {day}
    UNION ALL SELECT nominal_id, FALSE FROM risk_intelligencereport
     WHERE reported_on > {activity} AND reported_on <= {day}
),
due AS (SELECT nominal_id, bool_or(member) AS member FROM due_any GROUP BY nominal_id),
event AS (
    SELECT nominal_id, 'detection' AS kind, offence_type_id, committed_on AS day,
           CASE outcome {detection_weights} ELSE 0 END
           * exp(-ln(2::float8) * ({day} - committed_on) / {detection_half_life}) AS decayed
      FROM risk_detectedoffence WHERE committed_on > {lookback} AND committed_on <= {day}
    UNION ALL
    SELECT nominal_id, 'arrest', offence_type_id, arrested_on,
           CASE grounds {arrest_weights} ELSE 0 END
           * exp(-ln(2::float8) * ({day} - arrested_on) / {arrest_half_life})
      FROM risk_arrest WHERE arrested_on > {lookback} AND arrested_on <= {day}
    UNION ALL
    SELECT nominal_id, 'intelligence', offence_type_id, reported_on,
           CASE intelligence_source {intelligence_weights} ELSE 0 END
           * exp(-ln(2::float8) * ({day} - reported_on) / {intelligence_half_life})
      FROM risk_intelligencereport WHERE reported_on > {lookback} AND reported_on <= {day}
),
factor AS (
    SELECT e.nominal_id, e.kind, COALESCE(t.category, 'other') AS factor, COUNT(*) AS number,
           SUM(CASE COALESCE(t.gravity, {unknown_gravity}) {gravity} ELSE 0 END
               * CASE COALESCE(t.category, 'other') {categories} ELSE 0 END
               * e.decayed) AS points,
           MIN(e.day) AS since
      FROM event e LEFT JOIN risk_offencetype t ON t.id = e.offence_type_id
     GROUP BY e.nominal_id, e.kind, COALESCE(t.category, 'other')
    UNION ALL
    SELECT nominal_id, 'dynamic', factor, COUNT(*), MAX(CASE factor {dynamic} ELSE 0 END),
           MIN(started_on)
      FROM risk_dynamicfactor
     WHERE started_on <= {day} AND (ended_on IS NULL OR ended_on >= {day})
     GROUP BY nominal_id, factor
),
custody AS (
    SELECT nominal_id, MIN(since) AS since FROM (
        -- docs/risk-model.md, "The release day": a period counts while started_on <= D < ended_on
        SELECT nominal_id, started_on AS since FROM risk_custodyperiod
         WHERE started_on <= {day} AND (ended_on IS NULL OR ended_on > {day})
        UNION ALL
        SELECT nominal_id, entered_on FROM cohorts_cohortmembership
         WHERE {status_counts} AND status = 'custody'
    ) c GROUP BY nominal_id
),
away AS (
    SELECT nominal_id, MIN(started_on) AS since FROM risk_residenceperiod
     WHERE NOT in_area AND started_on <= {day} AND (ended_on IS NULL OR ended_on >= {day})
     GROUP BY nominal_id
),
raw AS (SELECT nominal_id, SUM(points) AS raw FROM factor GROUP BY nominal_id),
person AS (
    SELECT d.nominal_id, d.member, COALESCE(r.raw, 0::float8) AS raw,
           c.nominal_id IS NOT NULL AS in_custody, c.since AS custody_since,
           a.nominal_id IS NOT NULL AS out_of_area, a.since AS away_since
      FROM due d
      LEFT JOIN raw r ON r.nominal_id = d.nominal_id
      LEFT JOIN custody c ON c.nominal_id = d.nominal_id
      LEFT JOIN away a ON a.nominal_id = d.nominal_id
),
modified AS (
    SELECT p.*, CASE WHEN p.in_custody THEN p.raw * {custody} ELSE p.raw END AS after_custody
      FROM person p
),
total AS (
    SELECT m.*, CASE WHEN m.out_of_area THEN m.after_custody * {away} ELSE m.after_custody END
               AS total,
           ROUND((CASE WHEN m.out_of_area THEN m.after_custody * {away}
                       ELSE m.after_custody END)::numeric, 2) AS score
      FROM modified m
),
contribution AS (
    SELECT f.nominal_id, f.kind || ':' || f.factor AS key, f.kind, f.factor, f.number,
           f.since, ROUND(f.points::numeric, 2) AS points
      FROM factor f JOIN due d ON d.nominal_id = f.nominal_id
    UNION ALL
    SELECT nominal_id, 'custody', 'custody', '', 1, custody_since,
           ROUND((after_custody - raw)::numeric, 2)
      FROM total WHERE in_custody
    UNION ALL
    SELECT nominal_id, 'out-of-area', 'out-of-area', '', 1, away_since,
           ROUND((total - after_custody)::numeric, 2)
      FROM total WHERE out_of_area
),
explained AS (
    SELECT nominal_id,
           json_agg(json_build_object('key', key, 'kind', kind, 'factor', factor,
                                      'count', number, 'since', since, 'points', points)
                    ORDER BY abs(points) DESC, key COLLATE "C")::jsonb AS contributions
      FROM contribution GROUP BY nominal_id
),
banded AS (
    SELECT t.*, CASE WHEN t.score >= {red} THEN 'red' WHEN t.score >= {amber} THEN 'amber'
                     ELSE 'green' END AS band,
           CASE WHEN t.member THEN RANK() OVER (PARTITION BY t.member ORDER BY t.score DESC)
           END AS rank
      FROM total t
),
assessed AS (
    INSERT INTO {assessments} ({assessment_columns})
    SELECT {run}, b.nominal_id, {version}, {day}, b.score, b.band,
           CASE b.band WHEN 'red' THEN 1 WHEN 'amber' THEN 2 ELSE 3 END, b.member, b.rank,
           b.in_custody, b.out_of_area, COALESCE(e.contributions, '[]'::jsonb)
      FROM banded b LEFT JOIN explained e ON e.nominal_id = b.nominal_id
),
sanction AS (
    SELECT o.nominal_id, o.id, o.sanction, o.sanction_date, t.gravity, t.ogrs3_category, t.name
      FROM risk_detectedoffence o JOIN risk_offencetype t ON t.id = o.offence_type_id
     WHERE o.sanction IN ('conviction', 'caution') AND o.sanction_date <= {day}
),
occasion AS (SELECT nominal_id, sanction_date FROM sanction GROUP BY nominal_id, sanction_date),
record AS (
    SELECT nominal_id, MIN(sanction_date) AS first_date, MAX(sanction_date) AS last_date,
           COUNT(*) - 1 AS previous
      FROM occasion GROUP BY nominal_id
),
latest AS (
    SELECT DISTINCT ON (s.nominal_id) s.nominal_id, s.sanction, s.sanction_date,
           s.ogrs3_category, s.name
      FROM sanction s JOIN record r
        ON r.nominal_id = s.nominal_id AND r.last_date = s.sanction_date
     ORDER BY s.nominal_id, s.gravity DESC, s.id DESC
),
release AS (
    SELECT l.nominal_id, MIN(c.ended_on) AS released_on,
           bool_or(c.ended_on IS NULL) AS inside, MIN(c.started_on) AS inside_since
      FROM latest l JOIN risk_custodyperiod c ON c.nominal_id = l.nominal_id
     WHERE l.sanction = 'conviction' AND c.started_on <= {day}
       AND (c.ended_on IS NULL OR c.ended_on >= l.sanction_date)
     GROUP BY l.nominal_id
),
inputs AS (
    SELECT d.nominal_id, n.gender AS sex, n.date_of_birth, COALESCE(l.sanction, '') AS sanction,
           l.sanction_date AS conviction_date, NULLIF(l.ogrs3_category, '') AS offence_category,
           COALESCE(l.name, '') AS offence_name, r.previous, r.first_date AS first_sanction_date,
           CASE WHEN l.sanction = 'conviction' AND x.released_on IS NOT NULL THEN x.released_on
                WHEN l.sanction = 'conviction' AND x.inside THEN NULL
                ELSE l.sanction_date END AS follow_up_start,
           COALESCE(l.sanction = 'conviction' AND x.released_on IS NOT NULL, FALSE) AS released
      FROM due d
      JOIN cohorts_nominal n ON n.id = d.nominal_id
      LEFT JOIN latest l ON l.nominal_id = d.nominal_id
      LEFT JOIN record r ON r.nominal_id = d.nominal_id
      LEFT JOIN release x ON x.nominal_id = d.nominal_id
),
ages AS (
    SELECT i.*,
           date_part('year', age(i.conviction_date, i.date_of_birth))::int AS at_conviction,
           date_part('year', age(i.first_sanction_date, i.date_of_birth))::int AS at_first,
           date_part('year', age(i.follow_up_start, i.date_of_birth))::int AS at_follow_up
      FROM inputs i
),
checked AS (
    SELECT a.*, CASE
        WHEN lower(a.sex) NOT IN ('male', 'female', 'm', 'f') THEN 'sex'
        WHEN a.date_of_birth IS NULL THEN 'date_of_birth'
        WHEN a.conviction_date IS NULL THEN 'conviction_date'
        WHEN a.offence_category IS NULL THEN 'offence_category'
        WHEN a.previous IS NULL THEN 'previous_sanctions'
        WHEN a.first_sanction_date IS NULL THEN 'first_sanction_date'
        WHEN a.follow_up_start IS NULL THEN 'follow_up_start'
        WHEN a.follow_up_start > {day} THEN 'follow_up_start'
        WHEN a.date_of_birth >= a.first_sanction_date THEN 'date_of_birth'
        WHEN a.first_sanction_date > a.conviction_date THEN 'first_sanction_date'
        WHEN a.follow_up_start < a.conviction_date THEN 'follow_up_start'
        WHEN a.previous = 0 AND a.first_sanction_date <> a.conviction_date
            THEN 'previous_sanctions'
        WHEN a.at_first < 10 THEN 'first_sanction_date'
    END AS stopped
      FROM ages a
),
ogrs3_category(code, term) AS (VALUES {ogrs3_categories}),
age_band(lowest, highest, male_term, female_term) AS (VALUES {ogrs3_age_bands}),
ogrs3_score AS (
    SELECT k.nominal_id,
           CASE WHEN lower(k.sex) IN ('male', 'm') THEN b.male_term ELSE b.female_term END
           + CASE WHEN k.previous > 0 THEN 0.463062792 ELSE 0.126142106 END::float8
           + 1.251124464::float8 * ln((least(k.previous, 50) + 1)::float8
                                      / (10 + k.at_conviction - k.at_first))
           + c.term AS score
      FROM checked k
      JOIN age_band b ON k.at_follow_up >= b.lowest
                     AND (b.highest IS NULL OR k.at_follow_up <= b.highest)
      JOIN ogrs3_category c ON c.code = k.offence_category
     WHERE k.stopped IS NULL
),
probability AS MATERIALIZED (
    SELECT nominal_id, 1 / (1 + exp(-(1.402562384::float8 + score))) AS one_year,
           1 / (1 + exp(-(2.121705678::float8 + score))) AS two_year
      FROM ogrs3_score
),
percent AS (
    SELECT p.*, floor(p.one_year * 100 + 0.5)::int AS one_year_percent,
           floor(p.two_year * 100 + 0.5)::int AS two_year_percent
      FROM probability p
)
INSERT INTO {ogrs3_results} ({ogrs3_columns})
SELECT {run}, k.nominal_id, {day}, {ogrs3_version}, k.sex, k.date_of_birth,
       COALESCE(k.offence_category, ''), left(k.offence_name, 200), k.sanction,
       k.conviction_date, k.previous, k.first_sanction_date, k.follow_up_start, k.released,
       '{{}}'::jsonb, p.one_year, p.two_year, p.one_year_percent, p.two_year_percent,
       CASE WHEN p.two_year_percent >= 90 THEN 'very_high'
            WHEN p.two_year_percent >= 75 THEN 'high'
            WHEN p.two_year_percent >= 50 THEN 'medium'
            WHEN p.two_year_percent IS NOT NULL THEN 'low' ELSE '' END,
       COALESCE(k.stopped, ''),
       CASE WHEN k.stopped IS NULL THEN '' ELSE 'missing or impossible ' || k.stopped END
  FROM checked k LEFT JOIN percent p ON p.nominal_id = k.nominal_id
"""


def _number(value) -> str:
    return f"{float(value)!r}::float8"


def _text(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _date(day: datetime.date) -> str:
    return f"DATE '{day.isoformat()}'"


def floor_sql(
    parameters: dict,
    day: datetime.date,
    *,
    run_id: int,
    version_id: int,
    ogrs3_version: str,
    status_counts: bool,
    assessments: str,
    ogrs3_results: str,
) -> str:
    """The statement for one run date, the model's JSON ``parameters`` written into it.
    ``status_counts``: a membership's "in custody" status counts (a ranking of today)."""

    def whens(mapping: dict, key=_text) -> str:
        return " ".join(f"WHEN {key(k)} THEN {_number(v)}" for k, v in mapping.items())

    weights, half_life = parameters["event_weight"], parameters["half_life_days"]
    return FLOOR_SQL.format(
        day=_date(day),
        lookback=_date(day - datetime.timedelta(days=parameters["lookback_days"])),
        activity=_date(day - datetime.timedelta(days=parameters["activity_window_days"])),
        detection_weights=whens(weights["detection"]),
        arrest_weights=whens(weights["arrest"]),
        intelligence_weights=whens(weights["intelligence"]),
        detection_half_life=_number(half_life["detection"]),
        arrest_half_life=_number(half_life["arrest"]),
        intelligence_half_life=_number(half_life["intelligence"]),
        gravity=whens(parameters["gravity_points"], key=lambda g: str(int(g))),
        categories=whens(parameters["category_weight"]),
        dynamic=whens(parameters["dynamic_factor_points"]),
        unknown_gravity=int(parameters["unknown_gravity"]),
        status_counts="TRUE" if status_counts else "FALSE",
        custody=_number(parameters["custody_multiplier"]),
        away=_number(parameters["out_of_area_multiplier"]),
        red=f"{parameters['thresholds']['red']!r}::numeric",
        amber=f"{parameters['thresholds']['amber']!r}::numeric",
        assessments=assessments,
        assessment_columns=ASSESSMENT_COLUMNS,
        run=int(run_id),
        version=int(version_id),
        ogrs3_categories=OGRS3_CATEGORIES.replace(")", "::float8)").replace(
            "::float8::float8", "::float8"
        ),
        ogrs3_age_bands=OGRS3_AGE_BANDS,
        ogrs3_results=ogrs3_results,
        ogrs3_columns=OGRS3_COLUMNS,
        ogrs3_version=_text(ogrs3_version),
    )
