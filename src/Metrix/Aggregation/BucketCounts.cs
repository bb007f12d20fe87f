using System.Numerics;

namespace Metrix.Aggregation;

/// <summary>
/// A <see cref="QuantileSketch"/>'s counts for one sign: one counter per bucket index over the
/// contiguous range of indices seen, so adding a value is an array increment. Beyond
/// <see cref="MaxBuckets"/> indices, those nearest zero (the lowest) are folded into the lowest
/// one kept, which affects only the lowest quantiles.
/// </summary>
internal sealed class BucketCounts
{
    public const int MaxBuckets = 4096;

    private long[] _counts = [];
    private int _offset;
    private int _min = int.MaxValue;
    private int _max = int.MinValue;

    /// <summary>The buckets in the occupied range: the memory in use, one counter each.</summary>
    public int Count => _max < _min ? 0 : _max - _min + 1;

    /// <summary>The lowest occupied index; meaningful when <see cref="Count"/> is not 0.</summary>
    public int Min => _min;

    /// <summary>The highest occupied index; meaningful when <see cref="Count"/> is not 0.</summary>
    public int Max => _max;

    public long this[int index] => index < _min || index > _max ? 0 : _counts[index - _offset];

    public void Add(int index, long count)
    {
        if (index < _min || index > _max)
        {
            index = Extend(index);
        }

        _counts[index - _offset] += count;
    }

    /// <summary>Adds another sketch's counts for the same sign (same relative error).</summary>
    public void Add(BucketCounts other)
    {
        for (var index = other._min; index <= other._max; index++)
        {
            if (other[index] is var count and not 0)
            {
                Add(index, count);
            }
        }
    }

    /// <summary>Makes room for <paramref name="index"/>; returns where its value goes (higher, if the lowest buckets were folded).</summary>
    private int Extend(int index)
    {
        var min = Math.Min(_min, index);
        var max = Math.Max(_max, index);
        if (max - min + 1 > MaxBuckets)
        {
            // Too wide: keep the highest MaxBuckets indices; fold the rest into the lowest kept.
            var lowest = max - MaxBuckets + 1;
            var folded = 0L;
            for (var i = _min; i < lowest && i <= _max; i++)
            {
                folded += this[i];
            }

            Resize(lowest, max);
            for (var i = Math.Max(_min, _offset); i < lowest; i++)
            {
                // Left behind when the array was wide enough already: those counts are folded now.
                _counts[i - _offset] = 0;
            }

            _counts[lowest - _offset] += folded;
            _min = lowest;
            _max = max;
            return Math.Max(index, lowest);
        }

        Resize(min, max);
        _min = min;
        _max = max;
        return index;
    }

    /// <summary>
    /// Ensures the array covers [<paramref name="min"/>, <paramref name="max"/>], with slack to grow on
    /// both sides, keeping the counts of that range (below it, folded counts are the caller's).
    /// </summary>
    private void Resize(int min, int max)
    {
        if (_counts.Length > 0 && min >= _offset && max < _offset + _counts.Length)
        {
            return;
        }

        var length = Math.Min(Math.Max(64, (int)BitOperations.RoundUpToPowerOf2((uint)(max - min + 1)) * 2), 2 * MaxBuckets);
        var offset = Math.Max(min - ((length - (max - min + 1)) / 2), max - length + 1);
        var counts = new long[length];
        for (var i = Math.Max(Math.Max(_min, offset), min); i <= _max && i < offset + length; i++)
        {
            counts[i - offset] = this[i];
        }

        _counts = counts;
        _offset = offset;
    }
}
