using Metrix.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Metrix.Tests.Sinks;

public sealed class MSinkLoggerTests
{
    private static readonly MElement Element = new("n_articles.sum", 625, Tags.Of(("section", "politics")));

    [Fact]
    public void Logs_the_element_at_information_by_default()
    {
        var logger = new CollectingLogger();

        new MSinkLogger(logger).Emit(Element);

        var entry = logger.Entries.Should().ContainSingle().Subject;
        entry.Level.Should().Be(LogLevel.Information);
        entry.Message.Should().Be("MElement(name='n_articles.sum', value=625, tags={'section': 'politics'})");
    }

    [Fact]
    public void Logs_at_the_configured_level()
    {
        var logger = new CollectingLogger();

        new MSinkLogger(logger) { Level = LogLevel.Warning }.Emit(Element);

        logger.Entries.Single().Level.Should().Be(LogLevel.Warning);
    }

    [Fact]
    public void Logs_nothing_when_the_level_is_disabled()
    {
        var logger = new CollectingLogger { MinimumLevel = LogLevel.Warning };

        new MSinkLogger(logger) { Level = LogLevel.Debug }.Emit(Element);

        logger.Entries.Should().BeEmpty();
    }

    [Fact]
    public void Costs_no_allocation_when_the_level_is_disabled_and_formats_only_when_asked()
    {
        var disabled = new MSinkLogger(new CollectingLogger { MinimumLevel = LogLevel.Warning }) { Level = LogLevel.Debug };
        var deferring = new MSinkLogger(new DeferringLogger());
        disabled.Emit(Element);
        deferring.Emit(Element);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            disabled.Emit(Element);
            deferring.Emit(Element);
        }

        // Like LoggerMessage: a struct state passed generically, the template parsed once, the
        // message formatted only by a provider that wants it.
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Carries_name_value_and_tags_as_structured_properties()
    {
        var logger = new CollectingLogger();

        new MSinkLogger(logger) { MessageTemplate = "metric {Metric} closed" }.Emit(Element);

        var entry = logger.Entries.Single();
        entry.Message.Should().Be("metric MElement(name='n_articles.sum', value=625, tags={'section': 'politics'}) closed");
        entry["Metric"].Should().BeSameAs(Element);
        entry["Name"].Should().Be("n_articles.sum");
        entry["Value"].Should().Be(625.0);
        entry["Tags"].Should().BeEquivalentTo(Tags.Of(("section", "politics")));
        entry["{OriginalFormat}"].Should().Be("metric {Metric} closed");
    }

    [Fact]
    public void Escaped_braces_are_literal_text()
    {
        var logger = new CollectingLogger();

        new MSinkLogger(logger) { MessageTemplate = "{{raw}} {E,10:F2} }}" }.Emit(new MElement("x", 1));

        logger.Entries.Single().Message.Should().Be("{raw} MElement(name='x', value=1, tags=None) }");
    }

    [Theory]
    [InlineData("", "0 placeholders")]
    [InlineData("no placeholder", "0 placeholders")]
    [InlineData("{{escaped}}", "0 placeholders")]
    [InlineData("{A} and {B}", "2 placeholders")]
    [InlineData("{A} {A}", "2 placeholders")]
    [InlineData("{A", "without a closing")]
    [InlineData("A}", "without an opening")]
    [InlineData("{} x", "empty placeholder")]
    public void A_template_without_exactly_one_placeholder_is_rejected(string template, string problem)
    {
        FluentActions.Invoking(() => new MSinkLogger(new CollectingLogger()) { MessageTemplate = template })
            .Should().Throw<ArgumentException>()
            .WithParameterName("MessageTemplate")
            .WithMessage($"*exactly one placeholder*{problem}*");
    }

    [Fact]
    public void Default_template_is_a_single_MElement_placeholder()
    {
        new MSinkLogger(new CollectingLogger()).MessageTemplate.Should().Be("{MElement}").And.Be(MSinkLogger.DefaultMessageTemplate);
    }

    [Fact]
    public void Needs_a_logger()
    {
        FluentActions.Invoking(() => new MSinkLogger(null!)).Should().Throw<ArgumentNullException>().WithParameterName("logger");
    }

    /// <summary>An enabled logger that keeps nothing and never formats (a provider that batches or samples).</summary>
    private sealed class DeferringLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
