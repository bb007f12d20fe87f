// The pipeline's stages, by folder: a Send goes Ingest → Aggregation → Delivery; Inputs feed Ingest;
// Diagnostics counts and logs what goes wrong anywhere (docs/ARCHITECTURE.md).
global using Metrix.Aggregation;
global using Metrix.Delivery;
global using Metrix.Diagnostics;
global using Metrix.Ingest;
global using Metrix.Inputs;
