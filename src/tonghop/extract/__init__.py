"""Document -> facts (pure): header, signature, recipients, sections, citations, quantities."""
