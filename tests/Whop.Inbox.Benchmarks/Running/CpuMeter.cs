namespace Whop.Inbox.Benchmarks.Running;

/// <summary>
/// CPU time from the kernel's accounting (<c>/proc</c>): the app process (or all its instances, summed), every PostgreSQL process
/// (when the app stands on PostgreSQL; on SQLite the database works inside the app process and
/// PostgreSQL's processes count as "others"; with <paramref name="postgresDatabase"/>, only the server processes of that
/// database, for a run that shares the server with others), this benchmark process, and the whole machine. A step's CPU per message shows what the work
/// costs whatever else the machine is doing; the machine's total shows how busy it was.
/// </summary>
public sealed class CpuMeter(IReadOnlyList<int> appPids, bool countPostgres, string? postgresDatabase = null)
{
    public CpuMeter(int appPid, bool countPostgres) : this([appPid], countPostgres)
    {
    }

    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public sealed record Sample(double App, double Postgres, double Benchmark, double MachineBusy, double MachineTotal);

    public sealed record Usage(double Seconds, double AppCores, double PostgresCores, double BenchmarkCores, double MachineBusyCores, double OthersCores);

    public Sample Take()
    {
        double postgres = 0;
        foreach (var dir in countPostgres ? Directory.EnumerateDirectories("/proc") : [])
        {
            var name = Path.GetFileName(dir);
            if (!char.IsAsciiDigit(name[0])) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // A server process's title names its database: "postgres: 15/main: user database host(port) state".
                if (stat.Contains("(postgres)") && (postgresDatabase is null || File.ReadAllText(Path.Combine(dir, "cmdline")).Contains($" {postgresDatabase} ")))
                    postgres += ProcessSeconds(stat);
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(double.Parse).ToArray();
        var total = cpu.Sum() / TicksPerSecond;
        var idle = (cpu[3] + cpu[4]) / TicksPerSecond;
        return new Sample(appPids.Sum(pid => ProcessSeconds(File.ReadAllText($"/proc/{pid}/stat"))), postgres,
            ProcessSeconds(File.ReadAllText("/proc/self/stat")), total - idle, total);
    }

    public static Usage Between(Sample a, Sample b, double seconds)
    {
        var machine = (b.MachineBusy - a.MachineBusy) / seconds;
        var app = (b.App - a.App) / seconds;
        var postgres = (b.Postgres - a.Postgres) / seconds;
        var bench = (b.Benchmark - a.Benchmark) / seconds;
        return new Usage(seconds, app, postgres, bench, machine, Math.Max(0, machine - app - postgres - bench));
    }

    /// <summary>utime + stime of one process (fields 14 and 15, after the command name in parentheses).</summary>
    private static double ProcessSeconds(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11]) + double.Parse(fields[12])) / TicksPerSecond;
    }
}
