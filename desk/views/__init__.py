"""The product manager's desk: server-rendered pages over desk.selectors and desk.services,
one module per part of the desk (notices, products and reviews, moderation, KPIs), and
what they share in ``common``.

Access, the same on every page and action: a visitor who is not signed in is sent to the
sign-in page; a signed-in user without a desk role gets 403; a notice, product or review
of a product the user may not act on answers 404 (its existence is not revealed). Every
write goes through desk.services, which checks again and writes the audit row.
"""
