"""The analysis: embeddings, the values taxonomy and classifier, culture profiles, fit,
debrief coverage and the profile quiz, as functions over records and vectors."""
