using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks;

public sealed class MSinkPrinterTests
{
    [Fact]
    public void Writes_one_seed_format_line_per_element_in_order()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var printer = new MSinkPrinter(writer);

        printer.Emit(new MElement("wc.mean", 170.2));
        printer.Emit(new MElement("n.sum", 3, Tags.Of(("section", "politics"))));

        writer.ToString().Should().Be(
            "MElement(name='wc.mean', value=170.2, tags=None)\n"
            + "MElement(name='n.sum', value=3, tags={'section': 'politics'})\n");
    }

    [Fact]
    public void Receives_the_aggregates_of_a_coordinator()
    {
        var time = new HistoricalSchedulerFixture();
        var writer = new StringWriter { NewLine = "\n" };
        using var mc = time.Coordinator(new MSinkPrinter(writer), new MStream("wc") { Agg = { MAgg.Sum, MAgg.Mean }, BatchSize = 2 });

        mc.Send("wc", 100);
        mc.Send("wc", 240.4);
        time.Tick();

        writer.ToString().Should().Be(
            "MElement(name='wc.sum', value=340.4, tags=None)\nMElement(name='wc.mean', value=170.2, tags=None)\n");
    }

    [Fact]
    public void Needs_a_writer()
    {
        FluentActions.Invoking(() => new MSinkPrinter(null!)).Should().Throw<ArgumentNullException>().WithParameterName("writer");
    }
}
