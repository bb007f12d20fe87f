using Microsoft.Extensions.Logging;

namespace Metrix;

/// <summary>
/// Logs each element through an <see cref="ILogger"/>: the message is the template with its one
/// placeholder replaced by <see cref="MElement.ToString"/>, and the logged state also carries the
/// element's <c>Name</c>, <c>Value</c> and <c>Tags</c> as structured properties.
/// </summary>
public sealed class MSinkLogger : IMSink
{
    /// <summary>The default <see cref="MessageTemplate"/>.</summary>
    public const string DefaultMessageTemplate = "{MElement}";

    private readonly ILogger _logger;
    private LogTemplate _template = LogTemplate.Parse(DefaultMessageTemplate);

    /// <summary>Logs to <paramref name="logger"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="logger"/> is null.</exception>
    public MSinkLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>The level of every entry. Default: <see cref="LogLevel.Information"/>.</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <summary>
    /// The message template; it must hold exactly one placeholder (<c>{Name}</c>), which receives
    /// the element. <c>{{</c> and <c>}}</c> are literal braces. Default: <c>"{MElement}"</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The template holds no placeholder, or more than one.</exception>
    public string MessageTemplate
    {
        get => _template.Text;
        init => _template = LogTemplate.Parse(value);
    }

    /// <inheritdoc />
    public void Emit(MElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (_logger.IsEnabled(Level))
        {
            _logger.Log(Level, default, new ElementLogState(_template, element), null, ElementLogState.Format);
        }
    }

    /// <summary>Names the sink for logs and <see cref="MCoordinator.ToString"/>.</summary>
    public override string ToString() => $"MSinkLogger(level={Level}, template='{MessageTemplate}')";
}
