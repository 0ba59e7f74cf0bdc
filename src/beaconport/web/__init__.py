"""Server-rendered pages in the GOV.UK and MoJ design systems; HTML only, no business rules."""
