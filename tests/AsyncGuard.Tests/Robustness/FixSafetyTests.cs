using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Rules;
using AsyncGuard.Tests.Conventions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AsyncGuard.Tests.Robustness;

/// <summary>
/// Never break code: on every test input and sample that compiles, each fix (one by one and
/// Fix All) adds no compiler error and removes no comment. The count of fixes checked per
/// rule is written to the test output.
/// </summary>
public sealed class FixSafetyTests
{
    private readonly ITestOutputHelper output;

    public FixSafetyTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task EveryFix_OnCompilingSources_AddsNoErrorAndKeepsComments()
    {
        var failures = new List<string>();
        var checkedPerRule = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var sources = 0;
        foreach (var source in Corpus.TestInputs.Concat(Corpus.Samples))
        {
            var (document, diagnostics) = await AllRules.AnalyzeAsync(source, source.Text);
            var before = await ErrorsAsync(document);
            if (before.Count > 0 || diagnostics.Count == 0) continue;
            sources++;

            var comments = Comments(await document.GetSyntaxRootAsync());
            foreach (var fix in await AllRules.ApplyFixesAsync(source, document, diagnostics, maxDiagnostics: int.MaxValue))
            {
                var key = $"{fix.Id} ({fix.Kind})";
                checkedPerRule[key] = checkedPerRule.GetValueOrDefault(key) + 1;
                var errors = await ErrorsAsync(fix.After);
                var text = (await fix.After.GetTextAsync()).ToString();
                if (errors.Count > 0)
                    failures.Add($"{source.Name}: '{fix.Action.Title}' ({fix.Kind}) adds errors:\n  {string.Join("\n  ", errors)}\n--- fixed source ---\n{text}");
                // The AGD0020 rethrow drops a comment that says the catch ignores the exception: it would read wrong.
                var lost = Lost(comments, Comments(await fix.After.GetSyntaxRootAsync()))
                    .Where(c => !(fix.Id.Contains("AGD0020", StringComparison.Ordinal) && SyntaxFactory.ParseLeadingTrivia(c).Any(SwallowedCancellationCodeFixProvider.SaysIgnored)))
                    .ToList();
                if (lost.Count > 0)
                    failures.Add($"{source.Name}: '{fix.Action.Title}' ({fix.Kind}) removes comments: {string.Join(" | ", lost)}\n--- fixed source ---\n{text}");
            }
        }

        output.WriteLine($"{sources} compiling sources with diagnostics; fixes checked per rule:");
        foreach (var (rule, count) in checkedPerRule) output.WriteLine($"  {rule}: {count}");
        Assert.True(failures.Count == 0, $"{failures.Count} unsafe fixes:\n\n" + string.Join("\n\n", failures.Take(8)));

        // A run that checks nothing fails: enough sources, and every fixer's fix checked one by one and with Fix All.
        Assert.True(sources >= 150, $"only {sources} compiling sources with diagnostics");
        foreach (var fixer in Repository.Fixers)
        {
            Assert.True(fixer.FixableDiagnosticIds.Any(id => checkedPerRule.GetValueOrDefault($"{id} (one)") > 0), $"no fix of {fixer.GetType().Name} was checked one by one");
            Assert.True(checkedPerRule.Any(p => p.Key.EndsWith("(all)", StringComparison.Ordinal) && fixer.FixableDiagnosticIds.Any(id => p.Key.Contains(id, StringComparison.Ordinal))), $"no Fix All of {fixer.GetType().Name} was checked");
        }
    }

    private static async Task<List<string>> ErrorsAsync(Document document)
    {
        var compilation = await document.Project.GetCompilationAsync();
        return compilation!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
    }

    private static List<string> Comments(SyntaxNode? root) =>
        root is null ? new List<string>() : root.DescendantTrivia(descendIntoTrivia: true)
            .Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia))
            .Select(t => t.ToString().Trim())
            .ToList();

    private static List<string> Lost(List<string> before, List<string> after)
    {
        var remaining = after.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var lost = new List<string>();
        foreach (var comment in before)
        {
            if (remaining.TryGetValue(comment, out var count) && count > 0) remaining[comment] = count - 1;
            else lost.Add(comment);
        }

        return lost;
    }
}
