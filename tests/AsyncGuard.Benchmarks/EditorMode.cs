using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Benchmarks;

/// <summary>
/// Issue 16's editor mode: what one keystroke costs. The project is the 1x corpus plus one large
/// file (several generated modules in one file) and one tiny file. Each measured edit changes one
/// line of a method body, re-parses the file incrementally, forks the compilation with
/// <see cref="Compilation.ReplaceSyntaxTree"/> as the IDE does, and asks one analyzer set for the
/// semantic diagnostics of that document alone
/// (<see cref="CompilationWithAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(SemanticModel, TextSpan?, CancellationToken)"/>).
/// Every set gets its own fork, so each one pays the compilation-start work and the binding of
/// the edited document, as after a real edit. The floor is the compiler's own diagnostics of the
/// document on such a fork. The tiny file shows the fixed cost of an edit (compilation start).
/// </summary>
internal static class EditorMode
{
    private const string LargePath = "Corpus/Editor/Large.cs";
    private const string TinyPath = "Corpus/Editor/Tiny.cs";

    private const string TinySource = """
        using System.Threading;
        using System.Threading.Tasks;

        namespace Corpus.Editor;

        public static class Tiny
        {
            public static async Task<int> TickAsync(CancellationToken cancellationToken)
            {
                var total = 0;
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                return total;
            }
        }
        """;

    public static int Run(BenchmarkOptions options, Runner runner, ImmutableArray<SyntaxTree> corpus, IReadOnlyList<AnalyzerSet> loaded)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var largeText = LargeFile(options.Seed, options.Files, options.EditorModules);
        var large = CSharpSyntaxTree.ParseText(largeText, parseOptions, LargePath, Encoding.UTF8);
        var tiny = CSharpSyntaxTree.ParseText(TinySource, parseOptions, TinyPath, Encoding.UTF8);
        var project = corpus.Add(large).Add(tiny);

        var check = runner.CompileOnly(project, concurrent: true);
        var largeLines = large.GetText().Lines.Count;
        Console.WriteLine();
        Console.WriteLine($"== Editor mode: {corpus.Length} corpus files + {LargePath} ({options.EditorModules} modules, {largeLines:N0} lines) + {TinyPath}; compile check: {check.Errors} errors");
        foreach (var error in check.FirstErrors) Console.WriteLine($"  {error}");

        if (options.EditorBaseline)
        {
            // As many do-nothing analyzers as AsyncGuard has, each with a compilation-start action and
            // an invocation action: what the analyzer driver itself costs per edit for that many analyzers.
            var count = loaded[0].Analyzers.Length;
            var noOps = Enumerable.Range(0, count).Select(_ => (DiagnosticAnalyzer)new NoOpAnalyzer()).ToImmutableArray();
            loaded = loaded.Append(new AnalyzerSet($"{count} no-op analyzers", "driver baseline", noOps,
                ImmutableDictionary<string, ReportDiagnostic>.Empty.Add(NoOpAnalyzer.Rule.Id, ReportDiagnostic.Warn), null)).ToList();
        }

        // One base compilation per set (the sets' diagnostic options differ), as the previous
        // keystroke left it: references bound and the declaration table built. Each edit forks it.
        var floorBase = Base(runner, project, null);
        var bases = loaded.ToDictionary(s => s.Name, s => Base(runner, project, s.DiagnosticOptions));

        var documents = new[] { ("large file", large, EditPoint(large)), ("tiny file", tiny, EditPoint(tiny)) };
        var misses = 0;
        foreach (var (label, tree, point) in documents)
        {
            // Warm-up, untimed: every set on a few edits of this document.
            for (var i = 0; i < 3; i++)
            {
                Floor(floorBase, tree, point, i);
                foreach (var set in loaded) Measure(bases[set.Name], tree, point, i, set);
            }

            var floor = new List<double>();
            var wall = loaded.ToDictionary(s => s.Name, _ => new List<double>());
            var overFloor = loaded.ToDictionary(s => s.Name, _ => new List<double>());
            var analyzer = loaded.ToDictionary(s => s.Name, _ => new List<double>());
            var perAnalyzer = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            for (var edit = 0; edit < options.Edits; edit++)
            {
                var editFloor = Floor(floorBase, tree, point, 100 + edit);
                floor.Add(editFloor);
                foreach (var set in loaded)
                {
                    var result = Measure(bases[set.Name], tree, point, 100 + edit, set);
                    wall[set.Name].Add(result.Wall);
                    overFloor[set.Name].Add(result.Wall - editFloor);
                    analyzer[set.Name].Add(result.Analyzer);
                    if (set == loaded[0])
                    {
                        foreach (var (name, ms) in result.PerAnalyzer)
                        {
                            if (!perAnalyzer.TryGetValue(name, out var list)) perAnalyzer[name] = list = new List<double>();
                            list.Add(ms);
                        }
                    }
                }
            }

            var floorMs = Median(floor);
            var guard = Median(analyzer[loaded[0].Name]);
            Console.WriteLine();
            Console.WriteLine($"-- one-line edit in the {label} ({tree.GetText().Lines.Count:N0} lines); medians of {options.Edits} edits, concurrency off, ms per edit");
            Console.WriteLine("   wall: GetAnalyzerSemanticDiagnosticsAsync on a fresh fork (binding included); wall-floor: median over edits of wall minus the floor of the same edit; analyzer: telemetry ExecutionTime (callbacks, compilation start included)");
            Console.WriteLine($"{"set",-34} {"wall",8} {"wall-floor",10} {"analyzer",9} {"AG/set",7}");
            Console.WriteLine($"{"document compile only (floor)",-34} {floorMs,8:F1} {"",10} {"",9} {"",7}");
            foreach (var set in loaded)
            {
                var own = Median(analyzer[set.Name]);
                var ratio = set == loaded[0] ? "" : (own <= 0 ? "-" : (guard / own).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + "x");
                Console.WriteLine($"{set.Name + (set == loaded[0] ? " (total)" : " (async subset)"),-34} {Median(wall[set.Name]),8:F1} {Median(overFloor[set.Name]),10:F1} {own,9:F2} {ratio,7}");
                if (set != loaded[0]) continue;
                foreach (var (name, values) in perAnalyzer.OrderByDescending(p => Median(p.Value)))
                    Console.WriteLine($"{"  " + name,-34} {"",8} {"",10} {Median(values),9:F2}");
            }

            if (loaded.FirstOrDefault(s => s.Name == "NetAnalyzers") is { } pair)
            {
                var peer = Median(analyzer[pair.Name]);
                var pass = guard <= peer;
                if (!pass) misses++;
                Console.WriteLine($"{(pass ? "PASS" : "MISS")}  {label}: AsyncGuard {guard:F2} ms per edit <= NetAnalyzers CA1849/CA2016 {peer:F2} ms");
            }
        }

        if (options.EditorEach) EachAnalyzer(options, loaded[0], floorBase, bases[loaded[0].Name], large, tiny);
        CompilationStartCost(floorBase, tiny);
        return misses;
    }

    /// <summary>
    /// Each AsyncGuard analyzer alone on the large-file edit: where the wall time beyond the
    /// floor goes (the driver's own work per analyzer is not in the telemetry).
    /// </summary>
    private static void EachAnalyzer(BenchmarkOptions options, AnalyzerSet asyncGuard, Compilation floorBase, Compilation guardBase, SyntaxTree large, SyntaxTree tiny)
    {
        var largePoint = EditPoint(large);
        var tinyPoint = EditPoint(tiny);
        Console.WriteLine();
        Console.WriteLine($"-- each AsyncGuard analyzer alone (it pays KnownSymbols.From itself); medians of {options.Edits} edits, ms per edit");
        Console.WriteLine($"{"analyzer",-40} {"large wall-floor",16} {"large analyzer",14} {"tiny analyzer",13}");
        foreach (var analyzer in asyncGuard.Analyzers)
        {
            var single = asyncGuard with { Name = analyzer.GetType().Name, Analyzers = ImmutableArray.Create(analyzer) };
            Measure(guardBase, large, largePoint, 0, single);
            var overFloor = new List<double>();
            var own = new List<double>();
            var tinyOwn = new List<double>();
            for (var edit = 0; edit < options.Edits; edit++)
            {
                var floor = Floor(floorBase, large, largePoint, 500 + edit);
                var result = Measure(guardBase, large, largePoint, 500 + edit, single);
                overFloor.Add(result.Wall - floor);
                own.Add(result.Analyzer);
                tinyOwn.Add(Measure(guardBase, tiny, tinyPoint, 500 + edit, single).Analyzer);
            }

            Console.WriteLine($"{single.Name,-40} {Median(overFloor),16:F1} {Median(own),14:F2} {Median(tinyOwn),13:F3}");
        }
    }

    /// <summary>
    /// What the compilation-start work of every edit is made of: the shared KnownSymbols
    /// lookups on a fresh fork, timed alone, and a plain GetTypeByMetadataName loop for scale.
    /// </summary>
    private static void CompilationStartCost(Compilation baseCompilation, SyntaxTree tiny)
    {
        var samples = new List<double>();
        var firsts = new List<double>();
        var lookups = new List<double>();
        for (var i = 0; i < 23; i++)
        {
            // The first lookup on a fork also merges the fork's namespaces: whoever asks first pays it.
            var fork = Fork(baseCompilation, tiny, EditPoint(tiny), 200 + i);
            var stopwatch = Stopwatch.StartNew();
            _ = fork.GetTypeByMetadataName("System.Threading.Tasks.Task");
            firsts.Add(stopwatch.Elapsed.TotalMilliseconds);
            stopwatch.Restart();
            _ = KnownSymbols.From(fork);
            samples.Add(stopwatch.Elapsed.TotalMilliseconds);

            var other = Fork(baseCompilation, tiny, EditPoint(tiny), 300 + i);
            stopwatch.Restart();
            foreach (var name in ProbeNames) _ = other.GetTypeByMetadataName(name);
            lookups.Add(stopwatch.Elapsed.TotalMilliseconds / ProbeNames.Length);
        }

        // BlockingCallAnalyzer's eager type tables, read from its static fields (benchmark-only reflection).
        var tableNames = BlockingCallTableNames();
        var tables = new List<double>();
        for (var i = 0; i < 23; i++)
        {
            var fork = Fork(baseCompilation, tiny, EditPoint(tiny), 400 + i);
            var symbols = KnownSymbols.From(fork)!;
            var stopwatch = Stopwatch.StartNew();
            foreach (var name in tableNames) _ = symbols.Lookup(name);
            tables.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine();
        Console.WriteLine($"-- compilation start, medians of 20 fresh forks: the fork's first GetTypeByMetadataName {Median(firsts.Skip(3)):F2} ms; then KnownSymbols.From (its eager lookups) {Median(samples.Skip(3)):F2} ms; GetTypeByMetadataName {Median(lookups.Skip(3)) * 1000:F0} us per name on another fork ({ProbeNames.Length} names, first one included)");
        Console.WriteLine($"   BlockingCallAnalyzer's type tables: {tableNames.Count} names looked up eagerly per compilation, {Median(tables.Skip(3)):F2} ms on a fresh fork after KnownSymbols.From (median of 20)");
    }

    private static List<string> BlockingCallTableNames()
    {
        var names = new List<string>();
        var type = typeof(KnownSymbols).Assembly.GetType("AsyncGuard.Rules.BlockingCallAnalyzer")!;
        foreach (var field in type.GetFields(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static))
        {
            switch (field.GetValue(null))
            {
                case string[] strings: names.AddRange(strings.Where(n => n.StartsWith("System.", StringComparison.Ordinal))); break;
                case (string Type, string[] Methods)[] curated: names.AddRange(curated.Select(c => c.Type)); break;
            }
        }

        // Looked up in the State constructor beside the tables.
        names.AddRange(new[] { "System.IO.MemoryStream", "System.IO.UnmanagedMemoryStream", "System.IO.StringReader", "System.IO.StringWriter", "System.Memory`1", "System.ReadOnlyMemory`1", "System.Span`1", "System.ReadOnlySpan`1", "System.Console", "System.ObsoleteAttribute" });
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static readonly string[] ProbeNames =
    {
        "System.IO.File", "System.IO.Directory", "System.IO.StreamReader", "System.IO.StreamWriter", "System.Net.Http.HttpClient",
        "System.Threading.Tasks.Task", "System.Threading.CancellationToken", "System.Threading.SemaphoreSlim", "System.Text.Json.JsonSerializer",
        "System.Data.Common.DbCommand", "System.Diagnostics.Process", "System.Threading.Thread",
    };

    private static (double Wall, double Analyzer, IReadOnlyList<(string Name, double Ms)> PerAnalyzer) Measure(
        Compilation baseCompilation, SyntaxTree tree, int point, int edit, AnalyzerSet set)
    {
        var fork = Fork(baseCompilation, tree, point, edit);
        var edited = fork.SyntaxTrees.Single(t => t.FilePath == tree.FilePath);
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);

        var stopwatch = Stopwatch.StartNew();
        var withAnalyzers = fork.WithAnalyzers(set.Analyzers, options);
        var model = fork.GetSemanticModel(edited);
        _ = withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, CancellationToken.None).GetAwaiter().GetResult();
        stopwatch.Stop();

        var per = new List<(string, double)>();
        var total = 0.0;
        foreach (var group in set.Analyzers.GroupBy(a => a.GetType().Name))
        {
            var ms = group.Sum(a => withAnalyzers.GetAnalyzerTelemetryInfoAsync(a, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds);
            per.Add((group.Key, ms));
            total += ms;
        }

        return (stopwatch.Elapsed.TotalMilliseconds, total, per);
    }

    private static double Floor(Compilation baseCompilation, SyntaxTree tree, int point, int edit)
    {
        var fork = Fork(baseCompilation, tree, point, edit);
        var edited = fork.SyntaxTrees.Single(t => t.FilePath == tree.FilePath);
        var stopwatch = Stopwatch.StartNew();
        _ = fork.GetSemanticModel(edited).GetDiagnostics();
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// The project after edit number <paramref name="edit"/>: one line inserted at the start of a
    /// method body (<c>_ = N + M;</c>, a different value each time), parsed incrementally.
    /// </summary>
    private static Compilation Fork(Compilation baseCompilation, SyntaxTree tree, int point, int edit)
    {
        var text = tree.GetText();
        var line = $"        _ = {edit} + {edit % 7};\n";
        var editedTree = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(point, 0), line)));
        var fork = baseCompilation.ReplaceSyntaxTree(tree, editedTree);

        // The fork shares the base's reference binding; the source assembly of the fork is new.
        // Created here, untimed, for every set and the floor alike.
        _ = fork.Assembly;
        return fork;
    }

    private static Compilation Base(Runner runner, ImmutableArray<SyntaxTree> project, ImmutableDictionary<string, ReportDiagnostic>? diagnosticOptions)
    {
        var compilation = runner.Compile(project, concurrent: false, diagnosticOptions);
        _ = compilation.Assembly;
        _ = compilation.GlobalNamespace.GetMembers();
        return compilation;
    }

    /// <summary>Just after the opening brace of the method body in the middle of the file.</summary>
    private static int EditPoint(SyntaxTree tree)
    {
        var bodies = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Body is not null).ToList();
        var body = bodies[bodies.Count / 2].Body!;
        var text = tree.GetText();
        return text.Lines.GetLineFromPosition(body.OpenBraceToken.SpanStart).EndIncludingLineBreak;
    }

    /// <summary>
    /// Several generated modules in one file: the usings once at the top, each module's file-scoped
    /// namespace turned into a block. Module numbers follow the corpus, so no type is declared twice.
    /// </summary>
    private static string LargeFile(int seed, int firstModule, int modules)
    {
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var bodies = new StringBuilder();
        for (var i = 0; i < modules; i++)
        {
            var lines = CorpusGenerator.Generate(seed, firstModule + i).Split('\n');
            var inNamespace = false;
            foreach (var raw in lines)
            {
                var line = raw.TrimEnd('\r');
                if (!inNamespace && line.StartsWith("using ", StringComparison.Ordinal)) { usings.Add(line); continue; }
                if (!inNamespace && line.StartsWith("namespace ", StringComparison.Ordinal))
                {
                    bodies.Append(line.TrimEnd(';')).Append("\n{\n");
                    inNamespace = true;
                    continue;
                }

                if (inNamespace) bodies.Append(line).Append('\n');
            }

            bodies.Append("}\n\n");
        }

        return string.Join("\n", usings) + "\n\n" + bodies;
    }

    /// <summary>Registers what a typical rule registers and does nothing: the driver's own cost per analyzer.</summary>
#pragma warning disable RS1036, RS1038, RS1041, RS2008 // a benchmark probe, never shipped
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class NoOpAnalyzer : DiagnosticAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = new("NOOP0001", "No-op", "No-op", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start => start.RegisterOperationAction(_ => { }, OperationKind.Invocation));
        }
    }
#pragma warning restore RS1036, RS1038, RS1041, RS2008

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return 0;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
