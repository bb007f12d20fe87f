
namespace Metrix.Tests.Support;

/// <summary>
/// Threads chosen to land in given stripes of a windowed stream. Thread ids are consecutive, so
/// threads created one after another land in neighbouring stripes, and a test that means to cross
/// stripes must pick them: this creates threads until one has the wanted residue.
/// </summary>
internal static class StripeThreads
{
    public const int Stripes = StreamPipeline.WindowStripes;

    /// <summary>An unstarted thread that will run <paramref name="work"/> in stripe <paramref name="stripe"/>.</summary>
    public static Thread InStripe(int stripe, Action work)
    {
        while (true)
        {
            var thread = new Thread(() => work()) { IsBackground = true };
            if (thread.ManagedThreadId % Stripes == stripe)
            {
                return thread;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on a thread of stripe <paramref name="stripe"/> and waits for it.</summary>
    public static void RunInStripe(int stripe, Action work)
    {
        Exception? failure = null;
        var thread = InStripe(stripe, () =>
        {
            try
            {
                work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("The work failed on its thread.", failure);
        }
    }
}
