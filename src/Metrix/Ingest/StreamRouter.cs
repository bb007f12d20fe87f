using System.Runtime.CompilerServices;

namespace Metrix.Ingest;

/// <summary>
/// Finds a metric's stream by name on every send, without locks: a reference-keyed cache of recent
/// names (metric names are usually literals, interned: the same string instance on every call),
/// then a copy-on-write dictionary that adding a stream replaces. It also keeps the streams in the
/// order they were added (<see cref="All"/>), copied on write as well.
/// </summary>
internal sealed class StreamRouter
{
    private const int RecentRoutes = 64;
    private readonly StreamPipeline?[] _recent = new StreamPipeline?[RecentRoutes];
    private volatile Dictionary<string, StreamPipeline> _routes = new(StringComparer.Ordinal);
    private volatile StreamPipeline[] _all = [];

    /// <summary>Every stream, in the order added. Never changes once read (a new array on every add).</summary>
    public StreamPipeline[] All => _all;

    /// <summary>The stream of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No stream has that name.</exception>
    public StreamPipeline Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        // A reference-keyed cache skips hashing the name; a miss falls back to the dictionary.
        var recent = RuntimeHelpers.GetHashCode(name) & (RecentRoutes - 1);
        if (_recent[recent] is { } cached && ReferenceEquals(cached.Name, name))
        {
            return cached;
        }

        if (!_routes.TryGetValue(name, out var pipeline))
        {
            throw new KeyNotFoundException($"There is no MStream named '{name}' in this coordinator; add one to MStreams first.");
        }

        _recent[recent] = pipeline;
        return pipeline;
    }

    public bool Contains(string name) => _routes.ContainsKey(name);

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out StreamPipeline pipeline) => _routes.TryGetValue(name, out pipeline);

    /// <summary>Refuses a name already routed; checked before the stream's pipeline is built, so a refused stream is left as it was.</summary>
    /// <param name="name">The stream's name.</param>
    /// <param name="paramName">The caller's parameter that holds the stream, named in the exception.</param>
    /// <exception cref="ArgumentException">A stream of that name was added before.</exception>
    public void EnsureFree(string name, string paramName)
    {
        if (_routes.ContainsKey(name))
        {
            throw new ArgumentException($"MStream '{name}': this coordinator already has a stream of that name.", paramName);
        }
    }

    /// <summary>Adds a stream whose name <see cref="EnsureFree"/> accepted; under the coordinator's configuration lock (one writer at a time).</summary>
    public void Add(StreamPipeline pipeline)
    {
        _routes = new Dictionary<string, StreamPipeline>(_routes, StringComparer.Ordinal) { [pipeline.Name] = pipeline };
        _all = [.. _all, pipeline];
    }
}
