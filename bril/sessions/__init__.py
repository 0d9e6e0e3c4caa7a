"""Team sessions: plans, the live room and its report.

- `agenda`: the typed agenda item and its Dutch labels
- `changes`: every change to a session and the version that names it (the rules)
- `hotpath`: votes, marks, answers and "ik ook": what a whole room sends at once, without a new version
- `moment`: what the room shows at one version, computed once per version
- `screens`: the phone, projector and console views rendered from the moment
- `broker`, `cache`: live delivery and per-version caching
- `live`, `workshops`, `plans`: the blueprints (participants; the facilitator; session plans)
- `reports`: the report of a finished session
"""
