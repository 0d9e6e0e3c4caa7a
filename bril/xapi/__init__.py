"""Results in the organisation's learning record store (xAPI 1.0.3): statements made with the user's
change (`record`), kept in a queue in the database and sent in batches by a sender outside any request
(`sender`); the beheerder's page (`settings`) and the `flask xapi` commands (`commands`)."""
