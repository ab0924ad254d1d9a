using System;
using System.Globalization;
using System.Linq;

namespace AsyncGuard.Benchmarks;

/// <summary>The command line: corpus size, scales, seed, repeats, and whether a miss fails the run.</summary>
internal sealed class BenchmarkOptions
{
    public int Files { get; private set; } = 1000;
    public int[] Scales { get; private set; } = { 1, 2, 4 };
    public int Seed { get; private set; } = 8;
    public int Repeat { get; private set; } = 1;
    public int WarmUpFiles { get; private set; } = 100;
    public bool Check { get; private set; }
    public bool SkipPeers { get; private set; }
    public bool Editor { get; private set; }
    public bool EditorEach { get; private set; }
    public bool EditorBaseline { get; private set; }
    public int Edits { get; private set; } = 15;
    public int EditorModules { get; private set; } = 30;

    public const string Usage =
        "usage: AsyncGuard.Benchmarks [--files N] [--scales 1,2,4] [--seed S] [--repeat R] [--warmup-files N] [--no-peers] [--check] [--editor|--editor-each|--editor-baseline [--edits N] [--editor-modules N]]";

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--files": options.Files = NextInt(); break;
                case "--seed": options.Seed = NextInt(); break;
                case "--repeat": options.Repeat = NextInt(); break;
                case "--warmup-files": options.WarmUpFiles = NextInt(); break;
                case "--scales":
                    options.Scales = Next().Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture))
                        .Distinct().OrderBy(s => s).ToArray();
                    break;
                case "--check": options.Check = true; break;
                case "--no-peers": options.SkipPeers = true; break;
                case "--editor": options.Editor = true; break;
                case "--editor-each": options.Editor = options.EditorEach = true; break;
                case "--editor-baseline": options.Editor = options.EditorBaseline = true; break;
                case "--edits": options.Edits = NextInt(); break;
                case "--editor-modules": options.EditorModules = NextInt(); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }

        if (options.Files < 1 || options.Repeat < 1 || options.Edits < 1 || options.EditorModules < 1 || options.Scales.Length == 0 || options.Scales[0] < 1)
        {
            throw new ArgumentException("--files, --repeat and every scale must be at least 1");
        }

        if (!options.Scales.Contains(1)) options.Scales = options.Scales.Prepend(1).ToArray();
        if (options.Editor) options.Scales = new[] { 1 }; // the editor mode measures edits at 1x only
        return options;
    }
}
