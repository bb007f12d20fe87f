using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Metrix.Tests.Delivery;

/// <summary>
/// Work that a send schedules (a window's close, a delivery to a sink) runs on the real-time
/// scheduler without the sender's ExecutionContext: a request's AsyncLocal values, Activity and
/// logging scopes are invisible to sinks and are not kept alive by Metrix.
/// </summary>
public sealed class ExecutionContextTests
{
    private static readonly AsyncLocal<string?> RequestId = new();

    public static TheoryData<string> Streams => new() { "window", "batch" };

    [Theory]
    [MemberData(nameof(Streams))]
    public void A_sink_sees_none_of_the_sender_s_AsyncLocal_values_activity_or_logging_scopes(string kind)
    {
        var scopes = new LoggerExternalScopeProvider();
        var sink = new ContextRecordingSink(scopes);
        var mc = new MCoordinator
        {
            MStreams =
            {
                kind == "window"
                    ? new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromMilliseconds(50) }
                    : new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 1 },
            },
            MSinks = { sink },
        };

        using (var activity = new Activity("request").Start())
        using (scopes.Push("request scope"))
        {
            RequestId.Value = "request-1";
            mc.Send("n", 1);
            RequestId.Value = null;
        }

        sink.Received.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the element is delivered");
        mc.Dispose();

        sink.Seen.Should().Equal((null, null, 0));
    }

    [Fact]
    public void An_open_window_keeps_no_sender_s_activity_alive()
    {
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromHours(1) } },
            MSinks = { new ContextRecordingSink(new LoggerExternalScopeProvider()) },
        };

        var activity = SendInsideAnActivity(mc);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        activity.IsAlive.Should().BeFalse("the window's timer must not hold the request's context");
        mc.DisposeTimeout = TimeSpan.FromSeconds(5);
        mc.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference SendInsideAnActivity(MCoordinator mc)
    {
        var activity = new Activity("request").Start();
        var weak = new WeakReference(activity);
        mc.Send("n", 1);
        activity.Stop();
        return weak;
    }

    private sealed class ContextRecordingSink(LoggerExternalScopeProvider scopes) : IMSink
    {
        private readonly object _gate = new();
        private readonly List<(string? RequestId, string? ActivityId, int Scopes)> _seen = [];

        public ManualResetEventSlim Received { get; } = new();

        public IReadOnlyList<(string? RequestId, string? ActivityId, int Scopes)> Seen
        {
            get
            {
                lock (_gate)
                {
                    return [.. _seen];
                }
            }
        }

        public void Emit(MElement element)
        {
            var count = 0;
            scopes.ForEachScope((_, _) => count++, (object?)null);
            lock (_gate)
            {
                _seen.Add((RequestId.Value, Activity.Current?.Id, count));
            }

            Received.Set();
        }
    }
}
