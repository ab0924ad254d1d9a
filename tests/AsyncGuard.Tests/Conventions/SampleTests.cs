using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AsyncGuard.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncGuard.Tests.Conventions;

/// <summary>
/// The sample project, analyzed in process with every AsyncGuard analyzer: each line that
/// ends in <c>// flagged: AGD0001[, AGD0002]</c> gets exactly those diagnostics, and no other
/// line gets any. The compiler must see no errors and no warnings in the samples.
/// </summary>
public sealed class SampleTests
{
    private static readonly Regex FlaggedMarker = new(@"//.*\bflagged: (?<ids>AGD\d{4}(\s*,\s*AGD\d{4})*)", RegexOptions.Compiled);

    [Fact]
    public async Task Samples_ReportExactlyTheMarkedLines()
    {
        var trees = Repository.SampleFiles
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), path: Path.GetRelativePath(Repository.Root, f)))
            .ToList();
        // Without xunit: a reference to a test framework would make the samples test code (see TestCode).
        var references = TestReferences.Runtime.Where(r => !Path.GetFileName(r.Display ?? string.Empty).StartsWith("xunit.", StringComparison.Ordinal));
        var compilation = CSharpCompilation.Create("Samples", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var compilerProblems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(compilerProblems.Count == 0, "The samples do not compile clean:\n" + string.Join("\n", compilerProblems));

        // Every rule enabled at warning, as the samples' .editorconfig does.
        var options = compilation.Options.WithSpecificDiagnosticOptions(
            Repository.Descriptors.ToDictionary(d => d.Id, _ => ReportDiagnostic.Warn));
        var exceptions = new List<string>();
        var diagnostics = await compilation.WithOptions(options)
            .WithAnalyzers(Repository.Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions(default), (e, a, _) => exceptions.Add($"{a}: {e}"), true, false))
            .GetAnalyzerDiagnosticsAsync();
        Assert.Empty(exceptions);

        var actual = diagnostics
            .Select(d => $"{d.Location.SourceTree!.FilePath}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}")
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
        var expected = ExpectedFromMarkers(trees);
        Assert.True(expected.SequenceEqual(actual),
            "Sample diagnostics differ from the 'flagged:' markers.\nMissing:\n  " + string.Join("\n  ", expected.Except(actual)) +
            "\nUnexpected:\n  " + string.Join("\n  ", actual.Except(expected)));
    }

    /// <summary>What the <c>// flagged:</c> markers ask for, as sorted <c>path:line: id</c> lines.</summary>
    internal static List<string> ExpectedFromMarkers(IEnumerable<SyntaxTree> trees)
    {
        var expected = new List<string>();
        foreach (var tree in trees)
        {
            foreach (var line in tree.GetText().Lines)
            {
                var match = FlaggedMarker.Match(line.ToString());
                if (!match.Success) continue;
                foreach (var id in match.Groups["ids"].Value.Split(',').Select(s => s.Trim()))
                    expected.Add($"{tree.FilePath}:{line.LineNumber + 1}: {id}");
            }
        }

        expected.Sort(StringComparer.Ordinal);
        return expected;
    }
}
