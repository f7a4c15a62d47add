"""Loading: a record file is read as UTF-8 YAML or JSON within size, depth and alias limits,
with no duplicate keys and no YAML feature records never need. The loader (toolkit.records.load)
raises these as typed exceptions; this module declares their codes for the rule table."""

from __future__ import annotations

from toolkit.validate.rule import ERROR, WARNING, Code, declare

CODES = declare(
    "loading",
    Code(
        "file-unreadable",
        ERROR,
        "The file cannot be opened or read (missing, a folder, a broken link, no permission).",
        "Check the path and its permissions.",
    ),
    Code(
        "file-too-large", ERROR, "The file is over the size limit.", "Split the records into several files."
    ),
    Code(
        "not-utf8",
        ERROR,
        "The file (or a source text) is not valid UTF-8.",
        "Save it as UTF-8; the message gives the first bad byte.",
    ),
    Code(
        "file-symlink",
        ERROR,
        "A record file is a symbolic link: it could point anywhere, outside seeds/ too.",
        "Replace the link with the file itself.",
    ),
    Code(
        "line-endings",
        ERROR,
        "Lines end in a lone CR (or, in YAML, U+2028, U+2029 or U+0085): tools would count lines "
        "differently.",
        "Save the file with LF (or CRLF) line ends.",
    ),
    Code(
        "number-out-of-range",
        ERROR,
        "A number beyond what the toolkit holds exactly (more than 28 significant digits, or beyond 1e±100).",
        "Write the number as the source states it; put an identifier made of digits in quotes.",
    ),
    Code("yaml-syntax", ERROR, "The file is not well-formed YAML.", "Fix the syntax at the line given."),
    Code("json-syntax", ERROR, "The file is not well-formed JSON.", "Fix the syntax at the line given."),
    Code(
        "duplicate-key",
        ERROR,
        "A key appears twice in one mapping (most parsers silently keep the last).",
        "Keep one of the two.",
    ),
    Code(
        "nesting-too-deep",
        ERROR,
        "Values are nested deeper than the limit.",
        "Records are never that deep: flatten it.",
    ),
    Code(
        "alias-limit",
        ERROR,
        "YAML aliases expand to more values than the limit (an alias bomb).",
        "Write the values out, or use fewer aliases.",
    ),
    Code(
        "yaml-unsupported",
        ERROR,
        "A YAML feature records never need: custom tags, several documents, complex keys.",
        "Write plain mappings, lists and scalars in one document.",
    ),
    Code(
        "yaml-ambiguous-scalar",
        WARNING,
        "An unquoted value YAML 1.1 tools read differently (`no` as false, `1:20` as 80, `010` as 8).",
        "Put it in quotes.",
    ),
)
