using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Harness.Core.Processes;

/// <summary>
/// Windows: the counterpart of <see cref="ParentDeathSignal"/>. Children that must die with the
/// harness are put in one job object with <c>JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE</c>; the job's only
/// handle is this process's, so when the harness ends, however it ends, Windows closes the handle
/// and kills every process in the job, and their descendants are in it too (they inherit the job).
/// A child that spawns before it is assigned (a few microseconds after start) can escape. Not tested
/// by the test suite, which runs on Linux; when anything here fails the child just runs without the job.
/// </summary>
internal static class WindowsJob
{
    private const int JobObjectExtendedLimitInformation = 9;
    private const uint KillOnJobClose = 0x2000;

    private static readonly Lazy<IntPtr> Job = new(Create);

    /// <summary>Puts the started <paramref name="process"/> in the kill-on-close job; false when it could not.</summary>
    public static bool Assign(Process process)
    {
        if (!OperatingSystem.IsWindows() || Job.Value == IntPtr.Zero)
        {
            return false;
        }

        try
        {
            return AssignProcessToJobObject(Job.Value, process.Handle) != 0;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static IntPtr Create()
    {
        try
        {
            var job = CreateJobObjectW(IntPtr.Zero, IntPtr.Zero);
            if (job == IntPtr.Zero)
            {
                return IntPtr.Zero;
            }

            var limits = new ExtendedLimitInformation { BasicLimitInformation = new BasicLimitInformation { LimitFlags = KillOnJobClose } };
            if (SetInformationJobObject(job, JobObjectExtendedLimitInformation, ref limits, (uint)Marshal.SizeOf<ExtendedLimitInformation>()) == 0)
            {
                _ = CloseHandle(job);
                return IntPtr.Zero;
            }

            // Never closed: the handle closes when the process ends, and that is what kills the job.
            return job;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return IntPtr.Zero;
        }
    }

    // Blittable signatures only (no string or bool marshalling): the CLI is compiled ahead of time.
    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern IntPtr CreateJobObjectW(IntPtr attributes, IntPtr name);

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern int SetInformationJobObject(IntPtr job, int infoClass, ref ExtendedLimitInformation info, uint length);

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern int AssignProcessToJobObject(IntPtr job, IntPtr process);

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern int CloseHandle(IntPtr handle);

    [StructLayout(LayoutKind.Sequential)]
    private struct BasicLimitInformation
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public UIntPtr MinimumWorkingSetSize;
        public UIntPtr MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public UIntPtr Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoCounters
    {
        public ulong ReadOperationCount;
        public ulong WriteOperationCount;
        public ulong OtherOperationCount;
        public ulong ReadTransferCount;
        public ulong WriteTransferCount;
        public ulong OtherTransferCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ExtendedLimitInformation
    {
        public BasicLimitInformation BasicLimitInformation;
        public IoCounters IoInfo;
        public UIntPtr ProcessMemoryLimit;
        public UIntPtr JobMemoryLimit;
        public UIntPtr PeakProcessMemoryUsed;
        public UIntPtr PeakJobMemoryUsed;
    }
}
