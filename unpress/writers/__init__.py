"""Writers: the document model out to HTML/PDF, AKN4UN XML and Markdown."""
