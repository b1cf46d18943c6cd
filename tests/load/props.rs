//! Property test: for every pointer of a generated document, in every format, the span's text is
//! the rendering of the value there, and the key span's text is the key.
