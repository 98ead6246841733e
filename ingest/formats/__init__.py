"""Format readers: each turns the raw bytes of one kind of file into plain text.

`sniff` decides the kind from the content (never the extension); `text`, `html`, `docx` and `pdf`
each read one kind; `layout` holds what they share: the table rendering convention and the
line clean-up. Every reader raises `InputError` for input it cannot read, never a library error.
"""
