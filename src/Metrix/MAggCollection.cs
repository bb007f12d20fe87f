using System.Collections;

namespace Metrix;

/// <summary>
/// The aggregations of one <see cref="MStream"/>, in declared order, each under its output name
/// (the aggregation's own name unless one is given). Supports the initializer forms
/// <c>Agg = { MAgg.Sum, MAgg.Mean }</c>, <c>Agg = { ["avg"] = MAgg.Mean }</c> and
/// <c>Agg = { MAgg.Sum, { "avg", MAgg.Mean } }</c>.
/// </summary>
/// <remarks>
/// Not thread-safe: configure it before the stream is added to a coordinator. From then on it is
/// read-only and changes throw <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed class MAggCollection : IReadOnlyCollection<KeyValuePair<string, MAgg>>
{
    private readonly List<KeyValuePair<string, MAgg>> _items = [];
    private readonly string _streamName;
    private bool _frozen;

    internal MAggCollection(string streamName) => _streamName = streamName;

    /// <summary>The number of aggregations.</summary>
    public int Count => _items.Count;

    /// <summary>
    /// Gets the aggregation with output name <paramref name="name"/>, or adds <paramref name="value"/>
    /// under that name.
    /// </summary>
    /// <exception cref="KeyNotFoundException">Get: no aggregation has that output name.</exception>
    /// <exception cref="ArgumentException">Set: the name is empty or already used in this stream.</exception>
    /// <exception cref="InvalidOperationException">Set: the stream is already in use by a coordinator.</exception>
    public MAgg this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            foreach (var item in _items)
            {
                if (item.Key == name)
                {
                    return item.Value;
                }
            }

            throw new KeyNotFoundException($"MStream '{_streamName}' has no aggregation named '{name}'.");
        }
        set => Add(name, value);
    }

    /// <summary>Adds an aggregation under its own name.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="agg"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is already used in this stream.</exception>
    /// <exception cref="InvalidOperationException">The stream is already in use by a coordinator.</exception>
    public void Add(MAgg agg)
    {
        ArgumentNullException.ThrowIfNull(agg);
        Add(agg.Name, agg);
    }

    /// <summary>Adds an aggregation under <paramref name="name"/>: its output is <c>stream.name</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="agg"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or already used in this stream.</exception>
    /// <exception cref="InvalidOperationException">The stream is already in use by a coordinator.</exception>
    public void Add(string name, MAgg agg)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(agg);
        if (_frozen)
        {
            throw new InvalidOperationException(
                $"MStream '{_streamName}' is already in use by a coordinator; add aggregations before adding the stream.");
        }

        foreach (var item in _items)
        {
            if (item.Key == name)
            {
                throw new ArgumentException(
                    $"MStream '{_streamName}' already has an aggregation named '{name}'; give one of them another name.",
                    nameof(name));
            }
        }

        _items.Add(new KeyValuePair<string, MAgg>(name, agg));
    }

    /// <summary>Enumerates (output name, aggregation) pairs in declared order.</summary>
    public IEnumerator<KeyValuePair<string, MAgg>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Makes the collection read-only and returns its entries.</summary>
    internal KeyValuePair<string, MAgg>[] Freeze()
    {
        _frozen = true;
        return [.. _items];
    }
}
