using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncGuard.Benchmarks;

/// <summary>The outcome of compiling the corpus without analyzers.</summary>
internal sealed record CompileResult(TimeSpan Wall, int Errors, int Warnings, IReadOnlyList<Diagnostic> FirstErrors, long AllocatedBytes);

/// <summary>The outcome of one analyzer set on the corpus.</summary>
internal sealed record AnalysisResult(
    TimeSpan Wall,
    IReadOnlyDictionary<string, TimeSpan> PerAnalyzer,
    IReadOnlyDictionary<string, int> DiagnosticsById,
    int AnalyzerExceptions,
    string? FirstException,
    long AllocatedBytes)
{
    public TimeSpan AnalyzerTime => PerAnalyzer.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
}

/// <summary>
/// Compiles the corpus and runs analyzer sets on it. Every run gets a fresh compilation of the
/// same parsed trees and the same metadata references, so no run reuses another's binding.
/// </summary>
internal sealed class Runner
{
    private readonly ImmutableArray<MetadataReference> references;

    public Runner()
    {
        // The running runtime's own assemblies: what the corpus targets.
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        references = trusted
            .Where(p =>
            {
                var name = Path.GetFileNameWithoutExtension(p);
                return name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib";
            })
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    public int ReferenceCount => references.Length;

    public static ImmutableArray<SyntaxTree> Parse(int seed, int files)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new SyntaxTree[files];
        Parallel.For(0, files, i =>
            trees[i] = CSharpSyntaxTree.ParseText(CorpusGenerator.Generate(seed, i), options, CorpusGenerator.FilePath(i), System.Text.Encoding.UTF8));
        return trees.ToImmutableArray();
    }

    public static int CountLines(IEnumerable<SyntaxTree> trees) => trees.Sum(t => t.GetText().Lines.Count);

    public CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, bool concurrent, ImmutableDictionary<string, ReportDiagnostic>? diagnosticOptions = null) =>
        CSharpCompilation.Create(
            "Corpus",
            trees,
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable,
                concurrentBuild: concurrent,
                specificDiagnosticOptions: diagnosticOptions));

    /// <summary>The floor: the compiler's diagnostics (declarations and every method body) with no analyzer.</summary>
    public CompileResult CompileOnly(ImmutableArray<SyntaxTree> trees, bool concurrent)
    {
        Settle();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        var diagnostics = Compile(trees, concurrent).GetDiagnostics();
        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return new CompileResult(stopwatch.Elapsed, errors.Count,
            diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning), errors.Take(5).ToList(), allocated);
    }

    /// <summary>
    /// Runs <paramref name="set"/> alone on a fresh compilation, with execution-time telemetry.
    /// The wall time includes the compiler's binding that the analyzers wait on; the
    /// telemetry time is the analyzers' own callbacks.
    /// </summary>
    public AnalysisResult Analyze(ImmutableArray<SyntaxTree> trees, AnalyzerSet set, bool concurrent)
    {
        var exceptions = 0;
        string? firstException = null;
        var compilation = Compile(trees, concurrent, set.DiagnosticOptions);
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) =>
            {
                if (Interlocked.Increment(ref exceptions) == 1)
                {
                    firstException = $"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}";
                }
            },
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);

        // The compiler's one-time set-up (binding the references into the source assembly) would
        // otherwise land in the telemetry of whichever analyzer first asks the compilation for a
        // type; a build has done it before analyzers run. Done here, untimed, for every set alike.
        _ = compilation.Assembly;

        Settle();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        var withAnalyzers = compilation.WithAnalyzers(set.Analyzers, options);
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var perAnalyzer = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var analyzer in set.Analyzers)
        {
            var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
            var key = analyzer.GetType().Name;
            perAnalyzer[key] = perAnalyzer.TryGetValue(key, out var sum) ? sum + telemetry.ExecutionTime : telemetry.ExecutionTime;
        }

        var byId = diagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new AnalysisResult(stopwatch.Elapsed, perAnalyzer, byId, exceptions, firstException, allocated);
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
