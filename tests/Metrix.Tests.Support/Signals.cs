using System.Runtime.InteropServices;

namespace Metrix.Tests.Support;

/// <summary>Stops test servers as a service manager would: SIGTERM, by the process id the test started.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
