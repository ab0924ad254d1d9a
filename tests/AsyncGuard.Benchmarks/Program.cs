using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace AsyncGuard.Benchmarks;

/// <summary>
/// Issue 8's benchmark: on one generated corpus, the compiler alone (the floor), AsyncGuard's
/// analyzers, and the peers' async rules, each in a compilation of its own with execution-time
/// telemetry; then AsyncGuard at 2x and 4x the corpus. Prints a table and PASS/MISS per target;
/// exits 0 unless --check is given and a target is missed. With --editor, issue 16's editor
/// mode instead (<see cref="EditorMode"/>): the cost of one edit, per set.
/// </summary>
internal static class Program
{
    private const double CompileShareTarget = 0.10;
    private const double LinearityTolerance = 1.5;

    private static readonly (string Name, string Folder, string[]? Ids)[] Peers =
    {
        ("vs-threading", "vs-threading", new[] { "VSTHRD002", "VSTHRD100", "VSTHRD101", "VSTHRD103", "VSTHRD110" }),
        ("AsyncFixer", "AsyncFixer", null),
        ("Meziantou", "Meziantou", new[] { "MA0040", "MA0042", "MA0045", "MA0134", "MA0147", "MA0155" }),
        ("NetAnalyzers", "NetAnalyzers", new[] { "CA1849", "CA2016" }),
    };

    public static int Main(string[] args)
    {
        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchmarkOptions.Usage);
            return 2;
        }

        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var total = Stopwatch.StartNew();
        var runner = new Runner();
        var maxScale = options.Scales.Max();

        Console.WriteLine($"AsyncGuard benchmark: seed {options.Seed}, {options.Files} files at 1x, scales {string.Join(",", options.Scales.Select(s => s + "x"))}, repeat {options.Repeat} (median), warm-up on {Math.Min(options.WarmUpFiles, options.Files)} files");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, Roslyn {typeof(Compilation).Assembly.GetName().Version}, {Environment.ProcessorCount} cores, {runner.ReferenceCount} framework references");

        var stopwatch = Stopwatch.StartNew();
        var allTrees = Runner.Parse(options.Seed, options.Files * maxScale);
        var corpus = options.Scales.ToDictionary(s => s, s => allTrees.Take(options.Files * s).ToImmutableArray());
        var lines = corpus.ToDictionary(p => p.Key, p => Runner.CountLines(p.Value));
        Console.WriteLine($"corpus: generated and parsed {allTrees.Length} files in {stopwatch.Elapsed.TotalSeconds:F1} s; 1x = {options.Files} files, {lines[1]:N0} lines");

        var sets = new List<AnalyzerSet> { AnalyzerSet.AsyncGuard() };
        if (!options.SkipPeers) sets.AddRange(Peers.Select(p => AnalyzerSet.Peer(p.Name, p.Folder, p.Ids)));
        foreach (var set in sets)
        {
            var status = set.Analyzers.IsEmpty ? "FAILED TO LOAD" : $"{set.Analyzers.Length} analyzers, ids {string.Join(" ", set.MeasuredIds)}";
            Console.WriteLine($"set {set.Name} ({set.Source}): {status}{(set.LoadError is null ? "" : $" [load errors: {set.LoadError}]")}");
        }

        var loaded = sets.Where(s => !s.Analyzers.IsEmpty).ToList();
        var asyncGuard = loaded[0];

        if (options.Editor)
        {
            var editorMisses = EditorMode.Run(options, runner, corpus[1], loaded);
            Console.WriteLine($"total benchmark time: {total.Elapsed.TotalSeconds:F0} s");
            return options.Check && editorMisses > 0 ? 1 : 0;
        }

        // The corpus must compile: an analyzer benchmark on broken code measures error paths.
        var check = runner.CompileOnly(corpus[maxScale], concurrent: true);
        Console.WriteLine($"compile check ({maxScale}x): {check.Errors} errors, {check.Warnings} warnings");
        foreach (var error in check.FirstErrors) Console.WriteLine($"  {error}");

        // Warm-up, untimed: JIT the compiler, the driver and every analyzer.
        stopwatch.Restart();
        var warmUp = corpus[1].Take(Math.Min(options.WarmUpFiles, options.Files)).ToImmutableArray();
        runner.CompileOnly(warmUp, concurrent: false);
        runner.CompileOnly(warmUp, concurrent: true);
        runner.Analyze(warmUp, asyncGuard, concurrent: true);
        foreach (var set in loaded)
        {
            runner.Analyze(warmUp, set, concurrent: false);
        }

        Console.WriteLine($"warm-up: {stopwatch.Elapsed.TotalSeconds:F1} s");

        var compileRuns = new List<CompileResult>();
        var compileConcurrentRuns = new List<CompileResult>();
        var setRuns = loaded.ToDictionary(s => s.Name, _ => new List<AnalysisResult>());
        var setConcurrentRuns = loaded.ToDictionary(s => s.Name, _ => new List<AnalysisResult>());
        for (var r = 0; r < options.Repeat; r++)
        {
            compileRuns.Add(runner.CompileOnly(corpus[1], concurrent: false));
            foreach (var set in loaded) setRuns[set.Name].Add(runner.Analyze(corpus[1], set, concurrent: false));
            compileConcurrentRuns.Add(runner.CompileOnly(corpus[1], concurrent: true));
            // Concurrency on: the wall time a build sees (AsyncGuard only; the peers' would double the run).
            setConcurrentRuns[asyncGuard.Name].Add(runner.Analyze(corpus[1], asyncGuard, concurrent: true));
            Console.WriteLine($"repeat {r + 1}/{options.Repeat} at 1x done ({total.Elapsed.TotalSeconds:F0} s)");
        }

        var scaleCompile = new Dictionary<int, double> { [1] = Median(compileRuns.Select(c => c.Wall.TotalSeconds)) };
        var scaleGuard = new Dictionary<int, double> { [1] = Median(setRuns[asyncGuard.Name].Select(a => a.AnalyzerTime.TotalSeconds)) };
        foreach (var scale in options.Scales.Where(s => s > 1))
        {
            var compiles = new List<double>();
            var guards = new List<double>();
            for (var r = 0; r < options.Repeat; r++)
            {
                compiles.Add(runner.CompileOnly(corpus[scale], concurrent: false).Wall.TotalSeconds);
                guards.Add(runner.Analyze(corpus[scale], asyncGuard, concurrent: false).AnalyzerTime.TotalSeconds);
            }

            scaleCompile[scale] = Median(compiles);
            scaleGuard[scale] = Median(guards);
            Console.WriteLine($"scale {scale}x done ({total.Elapsed.TotalSeconds:F0} s)");
        }

        var misses = Report(options, sets, loaded, lines, check, compileRuns, compileConcurrentRuns, setRuns, setConcurrentRuns, scaleCompile, scaleGuard);
        Console.WriteLine($"total benchmark time: {total.Elapsed.TotalSeconds:F0} s");
        return options.Check && misses > 0 ? 1 : 0;
    }

    private static int Report(
        BenchmarkOptions options,
        List<AnalyzerSet> sets,
        List<AnalyzerSet> loaded,
        Dictionary<int, int> lines,
        CompileResult check,
        List<CompileResult> compileRuns,
        List<CompileResult> compileConcurrentRuns,
        Dictionary<string, List<AnalysisResult>> setRuns,
        Dictionary<string, List<AnalysisResult>> setConcurrentRuns,
        Dictionary<int, double> scaleCompile,
        Dictionary<int, double> scaleGuard)
    {
        var asyncGuard = loaded[0];
        var compile = Median(compileRuns.Select(c => c.Wall.TotalSeconds));
        var compileConcurrent = Median(compileConcurrentRuns.Select(c => c.Wall.TotalSeconds));
        double AnalyzerSeconds(string set) => Median(setRuns[set].Select(a => a.AnalyzerTime.TotalSeconds));
        double WallSeconds(string set) => Median(setRuns[set].Select(a => a.Wall.TotalSeconds));
        string ConcurrentWallSeconds(string set) =>
            setConcurrentRuns[set].Count == 0 ? "-" : Median(setConcurrentRuns[set].Select(a => a.Wall.TotalSeconds)).ToString("F3", CultureInfo.InvariantCulture);
        var guard = AnalyzerSeconds(asyncGuard.Name);

        Console.WriteLine();
        Console.WriteLine($"== Results: {options.Files} files, {lines[1]:N0} lines (1x); analyzer time = telemetry ExecutionTime, concurrency off; medians of {options.Repeat}");
        Console.WriteLine($"{"set",-34} {"analyzers",9} {"analyzer s",10} {"vs compile",10} {"AG/set",7} {"wall s",8} {"wall s conc.",12}");
        Console.WriteLine($"{"compile only (floor)",-34} {"",9} {compile,10:F3} {"100%",10} {"",7} {compile,8:F3} {compileConcurrent,12:F3}");
        foreach (var set in loaded)
        {
            var seconds = AnalyzerSeconds(set.Name);
            var ratio = set == asyncGuard ? "" : Ratio(guard, seconds);
            Console.WriteLine($"{set.Name + (set == asyncGuard ? " (total)" : " (async subset)"),-34} {set.Analyzers.Length,9} {seconds,10:F3} {Percent(seconds / compile),10} {ratio,7} {WallSeconds(set.Name),8:F3} {ConcurrentWallSeconds(set.Name),12}");
            if (set == asyncGuard)
            {
                foreach (var analyzer in set.Analyzers.Select(a => a.GetType().Name).Distinct())
                {
                    var own = Median(setRuns[set.Name].Select(a => a.PerAnalyzer[analyzer].TotalSeconds));
                    Console.WriteLine($"{"  " + analyzer,-34} {"",9} {own,10:F3} {Percent(own / compile),10}");
                }
            }
        }

        foreach (var set in sets.Where(s => s.Analyzers.IsEmpty)) Console.WriteLine($"{set.Name,-34} not loaded: {set.LoadError}");

        Console.WriteLine();
        Console.WriteLine("== Scaling (AsyncGuard, concurrency off)");
        Console.WriteLine($"{"scale",5} {"files",7} {"lines",10} {"compile s",10} {"AG s",8} {"AG ms/1k lines",15} {"compile ms/1k lines",20} {"AG/compile",10}");
        foreach (var scale in options.Scales)
        {
            var kiloLines = lines[scale] / 1000.0;
            Console.WriteLine($"{scale + "x",5} {options.Files * scale,7} {lines[scale],10:N0} {scaleCompile[scale],10:F3} {scaleGuard[scale],8:F3} {scaleGuard[scale] * 1000 / kiloLines,15:F3} {scaleCompile[scale] * 1000 / kiloLines,20:F3} {Percent(scaleGuard[scale] / scaleCompile[scale]),10}");
        }

        var guardRuns = setRuns[asyncGuard.Name];
        var compileAllocated = Median(compileRuns.Select(c => (double)c.AllocatedBytes)) / (1024 * 1024);
        var guardAllocated = Median(guardRuns.Select(a => (double)a.AllocatedBytes)) / (1024 * 1024);
        Console.WriteLine();
        Console.WriteLine("== Allocations (GC.GetTotalAllocatedBytes(precise: true), concurrency off, 1x)");
        Console.WriteLine($"compile only: {compileAllocated:N0} MB; compilation + AsyncGuard: {guardAllocated:N0} MB; difference (AsyncGuard + analyzer driver): {guardAllocated - compileAllocated:N0} MB");

        Console.WriteLine();
        Console.WriteLine("== Diagnostics per id (first 1x run of each set)");
        foreach (var set in loaded)
        {
            var first = setRuns[set.Name][0];
            var counts = first.DiagnosticsById.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}");
            var exceptions = first.AnalyzerExceptions == 0 ? "" : $"; {first.AnalyzerExceptions} analyzer exceptions, first: {first.FirstException}";
            Console.WriteLine($"{set.Name,-14} {(first.DiagnosticsById.Count == 0 ? "(none)" : string.Join(", ", counts))}{exceptions}");
        }

        Console.WriteLine();
        Console.WriteLine("== Targets (issue 8)");
        var misses = 0;
        void Target(bool? pass, string text)
        {
            if (pass == false) misses++;
            Console.WriteLine($"{(pass switch { true => "PASS", false => "MISS", null => "n/a " })}  {text}");
        }

        Target(check.Errors == 0, $"corpus compiles: {check.Errors} errors");
        Target(options.Files < 1000 ? null : lines[1] >= 150_000, $"corpus size at 1x: {options.Files} files, {lines[1]:N0} lines (issue asks >= 1,000 files and 150,000 lines)");
        Target(guard <= CompileShareTarget * compile, $"AsyncGuard total {guard:F3} s = {Percent(guard / compile)} of compile-only {compile:F3} s (target <= {Percent(CompileShareTarget)})");
        foreach (var set in loaded.Skip(1))
        {
            var peer = AnalyzerSeconds(set.Name);
            Target(guard < peer, $"AsyncGuard {guard:F3} s below {set.Name} async subset {peer:F3} s (AG/peer {Ratio(guard, peer)})");
        }

        foreach (var set in sets.Where(s => s.Analyzers.IsEmpty)) Target(null, $"below {set.Name}: not loaded");

        var largest = options.Scales.Max();
        if (largest > 1)
        {
            var perLine1 = scaleGuard[1] / lines[1];
            var perLineMax = scaleGuard[largest] / lines[largest];
            Target(perLineMax <= LinearityTolerance * perLine1,
                $"linear: AsyncGuard time per line at {largest}x is {perLineMax / perLine1:F2}x that at 1x (limit {LinearityTolerance:F1}x; compile-only: {scaleCompile[largest] / lines[largest] / (scaleCompile[1] / lines[1]):F2}x)");
        }
        else
        {
            Target(null, "linear: only one scale measured");
        }

        Target(guardRuns.All(r => r.AnalyzerExceptions == 0), "AsyncGuard threw no analyzer exception");
        Console.WriteLine(misses == 0 ? "all targets met" : $"{misses} target(s) missed");
        return misses;
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Ratio(double a, double b) => b <= 0 ? "-" : (a / b).ToString("F2", CultureInfo.InvariantCulture) + "x";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return 0;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
