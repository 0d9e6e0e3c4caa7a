"""The shared library (issue 17, item 7): an organisation offers a published version of its own card or story
to every organisation; the platformbeheerder reads it as a reader would and accepts it or returns it with a
comment; accepted ones are in every other organisation's library with their origin (bril/libraries.py says
under which name). Withdrawing follows the same road. `rules` changes offers, `reads` answers the pages,
`views` is the blueprint (/eigen/delen/ for the organisation, /platform/gedeeld/ for the platform)."""
