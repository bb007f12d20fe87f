using Metrix.Sinks.Writing;

namespace Metrix.Tests.Sinks.Writing;

/// <summary>Backoff: doubling from the first delay to the cap, each wait between half and all of that.</summary>
public sealed class BackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(0.1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(0.0, new[] { 0.05, 0.1, 0.2, 0.4, 0.5, 0.5 })]
    [InlineData(1.0, new[] { 0.1, 0.2, 0.4, 0.8, 1.0, 1.0 })]
    [InlineData(0.5, new[] { 0.075, 0.15, 0.3, 0.6, 0.75, 0.75 })]
    public void Waits_double_up_to_the_cap_within_the_jitter_range(double random, double[] seconds)
    {
        var backoff = new Backoff(First, Cap, () => random);

        var waits = seconds.Select(_ => backoff.Next().TotalSeconds).ToList();

        waits.Should().Equal(seconds, (actual, expected) => Math.Abs(actual - expected) < 1e-9);
        backoff.Failures.Should().Be(seconds.Length);
    }

    [Fact]
    public void A_reset_after_a_success_starts_again_from_the_first_delay()
    {
        var backoff = new Backoff(First, Cap, () => 1.0);
        backoff.Next();
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        backoff.Failures.Should().Be(0);
        backoff.Next().Should().Be(First);
    }

    [Fact]
    public void Jittered_waits_of_many_clients_spread_over_the_range()
    {
        var random = new Random(1);
        var waits = Enumerable.Range(0, 1000).Select(_ => new Backoff(First, Cap, random.NextDouble).Next().TotalSeconds).ToList();

        waits.Should().OnlyContain(w => w >= 0.05 && w <= 0.1);
        waits.Distinct().Count().Should().BeGreaterThan(900, "clients that failed together do not retry together");
    }
}
