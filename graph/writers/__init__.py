"""Writers of the export formats registered in plankg.model.formats: one module per format family."""
