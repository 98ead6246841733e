"""Reading policy documents and extracting typed records from their text."""
