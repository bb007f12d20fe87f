using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Metrix.Aggregation;

namespace Metrix.Ingest;

/// <summary>
/// One metric's pipeline: takes (value, series) posts from any thread, cuts them into batches by
/// count or into tumbling windows by time, and emits each closed batch's aggregated elements.
/// </summary>
/// <remarks>
/// <para><b>Stripes.</b> Posts land in a <see cref="Stripe"/>: its own spin lock and its own open
/// batch. A batch by count has one stripe, since "every n successive elements" needs one order. A
/// window has <see cref="WindowStripes"/>, picked by the sending thread, so threads sending to one
/// metric do not contend; but only from the first time two senders meet at a stripe (a
/// compare-exchange that finds it held): until then every thread uses the first stripe, which
/// spares each send finding its thread's stripe (a thread-static read, on Linux a call into the
/// runtime). A striped counter (Java's <c>LongAdder</c>) does the same with its cells.</para>
/// <para><b>Closing.</b> A close takes every stripe's lock at once (senders that arrive meanwhile
/// wait on the swap gate rather than spin against it), swaps in empty batches and advances the
/// window number, so every send is wholly in one window, consistently with time. It then merges
/// the stripes' batches in time order (see <see cref="Batch.Merge"/>) and emits them. A batch by
/// count is taken by the send that fills it, under its stripe's lock, and queued; emission then
/// drains the queue in order. The stream's gate serializes emission, closes, flushes and
/// completion, so the Rx contract (no concurrent <c>OnNext</c>) holds downstream and no stripe lock
/// is held while aggregating; what runs there never calls a sink.</para>
/// <para><b>Windows.</b> A close is scheduled when a window receives its first element, for the
/// next boundary of the grid <c>Origin + k · WindowSize</c>, so idle metrics cost no timers. A close
/// carries its boundary: a timer that fires before it by the scheduler's clock (real timers do) is
/// set again, and no boundary is ever closed twice. The window's elements are stamped with it.</para>
/// <para><b>Order.</b> When the aggregations expose order (last, custom functions), every send takes
/// a number from the stream's sequence inside its stripe's lock; otherwise only a group's first
/// send does. Stripes merge by those numbers, so a send that returned before another began is
/// earlier in first, last, the values a custom function gets, and group order.</para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The subject is completed by Complete() at shutdown, which releases its observers; disposing it would add nothing.")]
internal sealed class StreamPipeline
{
    /// <summary>Stripes of a windowed stream: enough for the producer threads of a busy process.</summary>
    public const int WindowStripes = 8;

    private readonly Lock _gate = new();
    private readonly Lock _swapGate = new();
    private readonly Subject<Batch> _batches = new();
    private readonly PipelineContext _context;
    private readonly TimeSpan? _windowSize;
    private readonly bool _windowed;
    private readonly bool _momentsOnly;
    private readonly long _batchSize;
    private readonly AggregationPlan _plan;
    private readonly Stripe[] _stripes;
    private readonly int _stripeMask;
    private readonly bool _sequenced;
    private readonly bool _sequenceEverySend;
    private readonly Stack<Batch> _spareBatches = new();
    private readonly ConcurrentQueue<Batch> _fullBatches = new();
    private SendSequence _sequence;
    private volatile bool _swapping;

    // Whether senders use their own thread's stripe (see Stripes in the remarks); set for good the
    // first time two of them meet at one. Never set with a single stripe.
    private bool _striped;
    private IDisposable? _pendingClose;
    private long _lastClosedBoundary;
    private bool _completed;

    public StreamPipeline(MStream config, PipelineContext context)
    {
        var aggregations = config.Validate();
        Config = config;
        Name = config.Name;
        _context = context;
        _windowSize = config.WindowSize;
        _windowed = _windowSize is not null;
        // A window never fills: its values are counted only to tell an empty one.
        _batchSize = config.BatchSize ?? long.MaxValue;
        _plan = new AggregationPlan(config.Name, aggregations);
        _momentsOnly = _plan.MomentsOnly;
        Tags = new TagSetRegistry(config.DefaultTagSet, config.MaxTagSets);
        _stripes = [.. Enumerable.Range(0, _windowSize is null ? 1 : WindowStripes).Select(_ => new Stripe(NewBatch(0)))];
        _stripeMask = _stripes.Length - 1;

        // One stripe is one order already; several need the stream's sequence to merge in time order.
        _sequenced = _stripes.Length > 1;
        _sequenceEverySend = _sequenced && _plan.TracksSendOrder;
        var aggregator = new BatchAggregator(config.Name, _plan, context);
        Output = _batches.Select(aggregator.Aggregate);
    }

    public MStream Config { get; }

    /// <summary>The metric name (the config's, read on every send without going through it).</summary>
    public string Name { get; }

    /// <summary>Resolves the tags of a send to this metric's series (validating them).</summary>
    public TagSetRegistry Tags { get; }

    /// <summary>The aggregated elements of each closed batch, in the documented order.</summary>
    public IObservable<IReadOnlyList<MElement>> Output { get; }

    /// <summary>
    /// Adds one value; returns false, changing nothing, once the pipeline has completed. If
    /// <paramref name="series"/> was retired meanwhile, it is resolved again and updated.
    /// </summary>
    /// <remarks>
    /// This method is the common case only, kept small because it runs on every send: a stream
    /// that keeps only moments, no close under way, a series already in this stripe's batch, a
    /// value that does not fill a batch by count. It has nothing in it that can throw (so no try
    /// block) nor wait; everything else goes to <see cref="TryPostSlow"/>.
    /// </remarks>
    public bool TryPost(double value, ref Series series)
    {
        if (_momentsOnly && !_swapping)
        {
            var known = series;
            var stripe = _stripes[CurrentStripe];
            if (!stripe.TryEnter())
            {
                stripe = EnterContended();
            }

            if (!stripe.Completed && stripe.Count + 1 < _batchSize && stripe.Batch.Find(known) is { } group)
            {
                group.AddMoments(value, _sequenceEverySend ? _sequence.Next() : 0);
                stripe.Count++;
                stripe.Exit();
                if (known.IsOverflow || (_windowed && Volatile.Read(ref _pendingClose) is null))
                {
                    AfterPost(known.IsOverflow ? Posted.ToOverflow : Posted.Accepted);
                }

                return true;
            }

            stripe.Exit();
        }

        return TryPostSlow(value, ref series);
    }

    /// <summary>Whether bound series use <see cref="BoundSlot"/>s: a send is then a moments update (windows, moments only, no per-send order).</summary>
    public bool TakesBoundSlots => _windowed && _momentsOnly && !_sequenceEverySend;

    /// <summary>The calling thread's stripe, among <see cref="StripeCount"/>.</summary>
    public int StripeOfThisThread => Stripe.OfThisThread(WindowStripes) & _stripeMask;

    /// <summary>The stripe a send of the calling thread uses: its own once senders have met, else the first.</summary>
    public int CurrentStripe => _striped ? StripeOfThisThread : 0;

    /// <summary>Whether senders use their own thread's stripe (for tests).</summary>
    public bool IsStriped => _striped;

    /// <summary>The stripe numbered <paramref name="index"/> (for tests).</summary>
    public Stripe StripeAt(int index) => _stripes[index];

    /// <summary>
    /// From now on, each sender uses its own thread's stripe: two met at one (or a test wants
    /// threads to cross stripes). A plain write: a sender that still reads false meanwhile uses the
    /// first stripe, which is as correct, only shared.
    /// </summary>
    public void StripeBySender()
    {
        if (_stripes.Length > 1)
        {
            _striped = true;
        }
    }

    /// <summary>How many stripes the stream has (the size of a bound series' slot array).</summary>
    public int StripeCount => _stripes.Length;

    /// <summary>
    /// A bound series' common case: adds <paramref name="value"/> through <paramref name="slot"/>
    /// when it is still its stripe's open batch, with no lookup. Changes nothing unless it returns
    /// <see cref="BoundPost.Added"/>: <see cref="BoundPost.Moved"/> when there is no slot, a close is
    /// under way, or the window moved on (the caller then takes <see cref="TryPost"/> and asks
    /// <see cref="SlotFor"/> for a new slot); <see cref="BoundPost.Busy"/> when
    /// <paramref name="waitForStripe"/> is false and another thread holds the stripe.
    /// </summary>
    /// <remarks>
    /// <para>The slot's fields are read before the stripe's compare-exchange, which no later load
    /// may pass, so they are not waited for under the lock.</para>
    /// <para>Two checks of the common path are not needed here. A completed stream: completing
    /// moves every stripe to another window, so the window check refuses the slot. Scheduling the
    /// window's close: the slot's group was started in this window by a post that schedules the
    /// close after it leaves the stripe (see <see cref="AfterPost"/>), and the slot stays valid only
    /// until that close.</para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BoundPost TryPostBound(double value, BoundSlot? slot, bool waitForStripe)
    {
        if (slot is null || _swapping)
        {
            return BoundPost.Moved;
        }

        var stripe = slot.Stripe;
        var window = slot.Window;
        var group = slot.Group;
        if (waitForStripe)
        {
            stripe.Enter();
        }
        else if (!stripe.TryEnter())
        {
            // A close holds every stripe for a moment: that is no meeting of senders.
            return _swapping ? BoundPost.Moved : BoundPost.Busy;
        }

        if (stripe.Window != window)
        {
            stripe.Exit();
            return BoundPost.Moved;
        }

        group.AddMoments(value, 0);
        stripe.Count++;
        stripe.Exit();
        return BoundPost.Added;
    }

    /// <summary>
    /// After <see cref="TryPost"/> added a value of <paramref name="series"/>: its slot in the stripe
    /// that post used (<see cref="CurrentStripe"/>), or null when this stream takes no slots or the
    /// series has no group there under its own tags (folded into overflow, refused by the cap).
    /// </summary>
    public BoundSlot? SlotFor(Series series)
    {
        if (!TakesBoundSlots || series.IsOverflow)
        {
            return null;
        }

        var stripe = _stripes[CurrentStripe];
        stripe.Enter();
        var batch = stripe.Batch;
        var slot = !stripe.Completed && batch.Find(series) is { } group ? new BoundSlot(stripe, stripe.Window, group) : null;
        stripe.Exit();
        return slot;
    }

    /// <summary>Every case the common one does not cover: a new group, a full batch, values or sketches kept, a close under way, a retired series.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryPostSlow(double value, ref Series series)
    {
        Posted posted;
        while ((posted = TryPostOnce(value, series)) == Posted.Retired)
        {
            series = Tags.Refresh(series.Tags);
        }

        if (posted == Posted.Completed)
        {
            return false;
        }

        AfterPost(posted);
        return true;
    }

    /// <summary>After a value was added: counts an overflow, emits a batch it filled, and schedules the window's close if none is.</summary>
    private void AfterPost(Posted posted)
    {
        if (posted is Posted.ToOverflow or Posted.ToOverflowFilledBatch)
        {
            _context.Diagnostics.TagSetOverflow(Config.Name, Config.MaxTagSets);
        }

        if (posted is Posted.FilledBatch or Posted.ToOverflowFilledBatch)
        {
            lock (_gate)
            {
                EmitFullBatchesLocked();
            }
        }

        // A close clears this before it swaps the stripes: a value added after the swap sees
        // null here and schedules the next close.
        if (_windowed && Volatile.Read(ref _pendingClose) is null)
        {
            ScheduleCloseIfNone();
        }
    }

    /// <summary>
    /// Whether window number <paramref name="window"/> (see <see cref="TagSetRegistry.Window"/>) is
    /// still open and holds data: a value added now would join what it holds.
    /// </summary>
    public bool HoldsData(long window)
    {
        lock (_gate)
        {
            return _pendingClose is not null && Tags.Window == window;
        }
    }

    /// <summary>Closes the open batch or window now, emitting its aggregates if it holds any element.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            EmitLocked(_context.Scheduler.Now);
        }
    }

    /// <summary>Flushes, then refuses further posts and completes the output. Idempotent.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            EmitLocked(_context.Scheduler.Now, completing: true);
            _completed = true;
            _pendingClose?.Dispose();
            _pendingClose = null;
            _batches.OnCompleted();
        }
    }

    private Posted TryPostOnce(double value, Series series)
    {
        if (_swapping)
        {
            // A close is taking every stripe: wait for it rather than compete for the stripe.
            lock (_swapGate)
            {
            }
        }

        var stripe = _stripes[CurrentStripe];
        if (!stripe.TryEnter())
        {
            stripe = EnterContended();
        }

        return TryPostLocked(stripe, value, series);
    }

    /// <summary>
    /// A send found its stripe held. Unless a close is what holds it, senders have met: from now on
    /// each uses its own thread's stripe. Enters the calling thread's stripe, waiting if need be.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Stripe EnterContended()
    {
        if (!_swapping)
        {
            StripeBySender();
        }

        var stripe = _stripes[CurrentStripe];
        stripe.Enter();
        return stripe;
    }

    /// <summary>Under <paramref name="stripe"/>'s lock, which it releases: every other case (a new group, a full batch, values or sketches kept).</summary>
    private Posted TryPostLocked(Stripe stripe, double value, Series series)
    {
        try
        {
            if (stripe.Completed)
            {
                return Posted.Completed;
            }

            var batch = stripe.Batch;
            var sequence = _sequenceEverySend ? _sequence.Next() : 0;
            var posted = series.IsOverflow ? Posted.ToOverflow : Posted.Accepted;
            var group = batch.Find(series);
            if (group is null)
            {
                var target = Tags.Admit(series, batch.Window);
                if (target is null)
                {
                    return Posted.Retired;
                }

                posted = target.IsOverflow ? Posted.ToOverflow : Posted.Accepted;
                group = batch.Find(target) ?? batch.Start(target, sequence != 0 ? sequence : _sequenced ? _sequence.Next() : 0);
            }

            group.Add(value, sequence);
            if (++stripe.Count < _batchSize)
            {
                return posted;
            }

            // A batch by count is full: take it now, in order; it is emitted outside this lock.
            _fullBatches.Enqueue(TakeLocked(stripe, NewBatch(Tags.AdvanceWindow()), _context.Scheduler.Now));
            return posted == Posted.ToOverflow ? Posted.ToOverflowFilledBatch : Posted.FilledBatch;
        }
        finally
        {
            stripe.Exit();
        }
    }

    private Batch NewBatch(long window) => new(_plan, window, Tags.SlotCount);

    private void ScheduleCloseIfNone()
    {
        lock (_gate)
        {
            if (!_completed && _pendingClose is null)
            {
                var boundary = Math.Max(NextBoundary(_context.Scheduler.Now), _lastClosedBoundary + 1);
                _pendingClose = ScheduleClose(boundary, BoundaryTime(boundary));
            }
        }
    }

    /// <summary>The index k of the first boundary <c>Origin + k · WindowSize</c> after <paramref name="now"/>.</summary>
    private long NextBoundary(DateTimeOffset now)
    {
        var elapsed = now - _context.Origin;
        return elapsed < TimeSpan.Zero ? 0 : (elapsed.Ticks / _windowSize!.Value.Ticks) + 1;
    }

    private DateTimeOffset BoundaryTime(long boundary)
    {
        // Saturate rather than overflow for windows that end beyond the calendar.
        var window = _windowSize!.Value.Ticks;
        var origin = _context.Origin;
        return boundary > (DateTimeOffset.MaxValue - origin).Ticks / window
            ? DateTimeOffset.MaxValue
            : origin + TimeSpan.FromTicks(boundary * window);
    }

    private IDisposable ScheduleClose(long boundary, DateTimeOffset at) =>
        _context.Scheduler.ScheduleDetached(at, () => CloseWindow(boundary));

    private void CloseWindow(long boundary)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            var due = BoundaryTime(boundary);
            if (_context.Scheduler.Now < due)
            {
                // The timer fired before the boundary by the scheduler's clock: wait for it.
                _pendingClose = _context.Scheduler.ScheduleAgain(due, () => CloseWindow(boundary));
                return;
            }

            Volatile.Write(ref _pendingClose, null);
            _lastClosedBoundary = boundary;
            EmitLocked(due);
        }
    }

    /// <summary>
    /// Under the stream's gate: emits the full batches sends have taken, then swaps every stripe's
    /// batch for an empty one of the next window, merges the taken batches and emits them, stamped
    /// <paramref name="closedAt"/>.
    /// </summary>
    private void EmitLocked(DateTimeOffset closedAt, bool completing = false)
    {
        if (_completed)
        {
            return;
        }

        // Batches that sends filled are older than what is open: they go first.
        EmitFullBatchesLocked();
        var taken = new List<Batch>(_stripes.Length);
        long closedWindow;
        _swapping = true;
        lock (_swapGate)
        {
            foreach (var stripe in _stripes)
            {
                stripe.Enter();
            }

            try
            {
                closedWindow = Tags.Window;
                var next = Tags.AdvanceWindow();
                var slots = Tags.SlotCount;
                foreach (var stripe in _stripes)
                {
                    stripe.Completed = completing;
                    if (stripe.Count == 0)
                    {
                        stripe.Reopen(next, slots);
                        continue;
                    }

                    taken.Add(TakeLocked(stripe, _spareBatches.TryPop(out var spare) ? spare.Open(next, slots) : NewBatch(next), closedAt));
                }
            }
            finally
            {
                for (var i = _stripes.Length - 1; i >= 0; i--)
                {
                    _stripes[i].Exit();
                }

                _swapping = false;
            }
        }

        if (taken.Count > 0)
        {
            taken[0].Merge(taken.Skip(1));
            EmitAndRecycleLocked(taken[0], taken);
        }

        Tags.Forget(closedWindow);
    }

    /// <summary>Under the stream's gate: emits, in order, the full batches that sends have taken.</summary>
    private void EmitFullBatchesLocked()
    {
        while (_fullBatches.TryDequeue(out var full))
        {
            var window = full.Window;
            EmitAndRecycleLocked(full, [full]);
            Tags.Forget(window);
        }
    }

    /// <summary>Under the stripe's lock: takes its batch, stamped <paramref name="closedAt"/>, and puts <paramref name="replacement"/> in its place.</summary>
    private static Batch TakeLocked(Stripe stripe, Batch replacement, DateTimeOffset closedAt)
    {
        var batch = stripe.Batch;
        batch.Count = stripe.Count;
        batch.ClosedAt = closedAt;
        stripe.Replace(replacement);
        return batch;
    }

    /// <summary>Under the stream's gate: emits <paramref name="batch"/>, then empties the batches it was made of for reuse.</summary>
    private void EmitAndRecycleLocked(Batch batch, List<Batch> parts)
    {
        _batches.OnNext(batch);

        // The aggregates are built (OnNext is synchronous): the batches can serve again, empty,
        // so that nothing of this window outlives it.
        foreach (var part in parts)
        {
            part.Clear();
            if (_spareBatches.Count < _stripes.Length)
            {
                _spareBatches.Push(part);
            }
        }
    }

    private enum Posted
    {
        Accepted,
        ToOverflow,
        FilledBatch,
        ToOverflowFilledBatch,
        Retired,
        Completed,
    }

    /// <summary>The stream's send order: a counter on a cache line of its own, since every stripe writes it.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct SendSequence
    {
        [FieldOffset(64)]
        private long _value;

        /// <summary>The next number, never 0 (0 means "not sequenced").</summary>
        public long Next() => Interlocked.Increment(ref _value);
    }
}
