namespace Metrix;

/// <summary>Writes each element's <see cref="MElement.ToString"/> as one line to a text writer.</summary>
public sealed class MSinkPrinter : IMSink
{
    private readonly TextWriter? _writer;

    /// <summary>Writes to <see cref="Console.Out"/> (looked up at each element, so <see cref="Console.SetOut"/> is honoured).</summary>
    public MSinkPrinter()
    {
    }

    /// <summary>Writes to <paramref name="writer"/>, which the caller owns and flushes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public MSinkPrinter(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <inheritdoc />
    public void Emit(MElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        (_writer ?? Console.Out).WriteLine(element.ToString());
    }

    /// <summary>Names the sink for logs and <see cref="MCoordinator.ToString"/>.</summary>
    public override string ToString() => _writer is null ? "MSinkPrinter(Console.Out)" : "MSinkPrinter";
}
