//! Pages: me area.
