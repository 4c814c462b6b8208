using System.Globalization;

namespace WeedGo.Bench;

/// <summary><c>[scenario names...] [--duration 10] [--concurrency 8] [--warmup 3] [--list] [--help]</c></summary>
public sealed record BenchOptions(IReadOnlyList<string> Scenarios, int DurationSeconds, int Concurrency, int WarmupSeconds, bool List, bool Help)
{
    public const string Usage =
        "usage: WeedGo.Bench [scenario ...] [--duration SECONDS (10)] [--concurrency N (8)] [--warmup SECONDS (3)] [--list] [--help]\n" +
        "  Runs the named scenarios (all when none are named) and writes bench/results/<scenario>.md.\n" +
        "  Needs WEEDGO_TEST_CONNECTION: a connection to the server's 'postgres' database as a role that may create databases.";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var names = new List<string>();
        int duration = 10, concurrency = 8, warmup = 3;
        bool list = false, help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (flag, inline) = arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=')
                ? (arg[..arg.IndexOf('=')], arg[(arg.IndexOf('=') + 1)..])
                : (arg, null);
            switch (flag)
            {
                case "--duration": duration = Number(flag, inline ?? Next(args, ref i, flag), min: 1); break;
                case "--concurrency": concurrency = Number(flag, inline ?? Next(args, ref i, flag), min: 1); break;
                case "--warmup": warmup = Number(flag, inline ?? Next(args, ref i, flag), min: 0); break;
                case "--list": list = true; break;
                case "-h" or "--help": help = true; break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw new ArgumentException($"Unknown option {arg}.\n{Usage}");
                    }
                    names.Add(arg);
                    break;
            }
        }
        return new BenchOptions(names, duration, concurrency, warmup, list, help);
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string flag) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{flag} needs a value.\n{Usage}");

    private static int Number(string flag, string value, int min) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ArgumentException($"{flag} needs a whole number ≥ {min}, not \"{value}\".");
}
