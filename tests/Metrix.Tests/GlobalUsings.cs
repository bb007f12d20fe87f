// The library's stages (internal, visible to these tests), as the library itself imports them.
global using Metrix.Aggregation;
global using Metrix.Delivery;
global using Metrix.Diagnostics;
global using Metrix.Ingest;
global using Metrix.Inputs;
