"""Page handlers, one module per page; each calls one library function and renders a
template of reckon.web.templates. Every module's `router` is mounted (reckon.api.app)."""
