"""HTTP handlers, one module per concern; each parses its input, calls one library
function and renders the result."""
