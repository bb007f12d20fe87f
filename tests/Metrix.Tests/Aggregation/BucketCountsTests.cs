using Metrix.Aggregation;

namespace Metrix.Tests.Aggregation;

/// <summary>A sketch's dense counters: every count is kept, within a bounded range of buckets.</summary>
public sealed class BucketCountsTests
{
    [Fact]
    public void Counts_land_in_their_buckets_in_either_direction_of_growth()
    {
        var counts = new BucketCounts();

        counts.Add(10, 1);
        counts.Add(-300, 2);
        counts.Add(700, 3);
        counts.Add(10, 4);

        counts[10].Should().Be(5);
        counts[-300].Should().Be(2);
        counts[700].Should().Be(3);
        counts[11].Should().Be(0);
        (counts.Min, counts.Max, counts.Count).Should().Be((-300, 700, 1001));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void Beyond_the_limit_the_lowest_buckets_fold_into_the_lowest_kept_and_no_count_is_lost(int direction)
    {
        var counts = new BucketCounts();
        const int Indices = 3 * BucketCounts.MaxBuckets;

        // Upwards: later indices push the lowest out; downwards: later indices land below the limit.
        for (var step = 0; step < Indices; step++)
        {
            counts.Add(direction > 0 ? step : Indices - 1 - step, 1);
        }

        counts.Count.Should().Be(BucketCounts.MaxBuckets);
        counts.Max.Should().Be(Indices - 1);
        Enumerable.Range(counts.Min, counts.Count).Sum(i => counts[i]).Should().Be(Indices);
        counts[counts.Min].Should().Be(Indices - BucketCounts.MaxBuckets + 1, "the lowest kept bucket holds everything below it");
        counts[counts.Max].Should().Be(1);
    }

    [Fact]
    public void Adding_another_store_sums_bucket_by_bucket()
    {
        var a = new BucketCounts();
        var b = new BucketCounts();
        a.Add(5, 1);
        b.Add(5, 2);
        b.Add(-5, 3);

        a.Add(b);

        (a[5], a[-5], a.Count).Should().Be((3L, 3L, 11));
    }
}
