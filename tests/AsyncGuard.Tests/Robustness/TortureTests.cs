using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AsyncGuard.Tests.Robustness;

/// <summary>
/// Never crash: every test input and sample, cut at token boundaries (half-typed code) and
/// with tokens deleted or duplicated, plus large generated files, analyzed by every rule with
/// concurrent execution; every offered fix and Fix All is computed and applied. No analyzer
/// or fixer may throw, and two runs must give the same diagnostics.
/// By default a quick run (each source once as written, once cut and once mutated);
/// ASYNCGUARD_TORTURE_SCALE=1 is the full run (three cuts and two mutations per source),
/// larger values run longer, and ASYNCGUARD_TORTURE_SEED replays one run.
/// </summary>
public sealed class TortureTests
{
    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("ASYNCGUARD_TORTURE_SCALE"), out var s) && s > 0 ? s : 0;

    private static bool Quick => Scale == 0;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("ASYNCGUARD_TORTURE_SEED"), out var seed) ? seed : 20261121;

    private readonly ITestOutputHelper output;

    public TortureTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task EverySource_CutAndMutated_NothingThrowsAndResultsAreDeterministic()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        int sources = 0, variants = 0, diagnostics = 0, fixes = 0;
        foreach (var source in Corpus.TestInputs.Concat(Corpus.Samples))
        {
            sources++;
            foreach (var (what, text) in Variants(source.Text, random))
            {
                variants++;
                try
                {
                    var (document, found) = await AllRules.AnalyzeAsync(source, text);
                    diagnostics += found.Count;
                    if (what == "original" || variants % 5 == 0)
                    {
                        var again = await AllRules.AnalyzeAsync(source, text);
                        if (AllRules.Describe(found) != AllRules.Describe(again.Diagnostics))
                            failures.Add($"{source.Name} [{what}]: two runs differ:\n{AllRules.Describe(found)}\n---\n{AllRules.Describe(again.Diagnostics)}");
                    }

                    fixes += (await AllRules.ApplyFixesAsync(source, document, found, maxDiagnostics: Quick ? 2 : 3 * Scale)).Count;
                }
                catch (Exception e)
                {
                    failures.Add($"{source.Name} [{what}] (seed {Seed}): {e}\n--- source ---\n{text}");
                }
            }
        }

        output.WriteLine($"seed {Seed}, {(Quick ? "quick" : $"scale {Scale}")}: {sources} sources, {variants} variants, {diagnostics} diagnostics, {fixes} fixes applied");
        Assert.True(failures.Count == 0, $"{failures.Count} failures (seed {Seed}):\n\n" + string.Join("\n\n", failures.Take(5)));

        // A run that checks nothing fails: the corpus must be found, and the rules must report and fix.
        Assert.True(sources >= 300, $"only {sources} sources");
        Assert.True(variants >= 3 * sources, $"only {variants} variants of {sources} sources");
        Assert.True(diagnostics >= sources, $"only {diagnostics} diagnostics in {variants} variants");
        Assert.True(fixes >= sources / 2, $"only {fixes} fixes applied in {variants} variants");
    }

    [Fact]
    public async Task LargeGeneratedFiles_NothingThrows()
    {
        var failures = new List<string>();
        var checkedSources = 0;
        foreach (var source in Corpus.Generated(Scale, Quick))
        {
            try
            {
                var (document, found) = await AllRules.AnalyzeAsync(source, source.Text);
                var again = await AllRules.AnalyzeAsync(source, source.Text);
                Assert.Equal(AllRules.Describe(found), AllRules.Describe(again.Diagnostics));
                // Fix All over thousands of diagnostics in one 10,000-line method is not a keystroke
                // scenario; the large files get their first fixes, the small ones Fix All too.
                var large = source.Text.Length > 50_000;
                var fixes = await AllRules.ApplyFixesAsync(source, document, found, maxDiagnostics: 2, fixAll: !large);
                output.WriteLine($"{source.Name}: {source.Text.Split('\n').Length} lines, {found.Count} diagnostics, {fixes.Count} fixes applied");
                if (found.Count > 0 && fixes.Count > 0) checkedSources++;
            }
            catch (Exception e)
            {
                failures.Add($"{source.Name}: {e}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(checkedSources >= 4, $"only {checkedSources} generated files had diagnostics and fixes");
    }

    /// <summary>The original, cuts at token boundaries, and single-token deletions and duplications.</summary>
    private static IEnumerable<(string What, string Text)> Variants(string text, Random random)
    {
        yield return ("original", text);
        var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        if (tokens.Count < 2) yield break;

        for (var i = 0; i < (Quick ? 1 : 3 * Scale); i++)
        {
            var token = tokens[random.Next(tokens.Count)];
            yield return ($"cut after '{token.Text}' at {token.Span.End}", text[..token.Span.End]);
        }

        for (var i = 0; i < (Quick ? 1 : 2 * Scale); i++)
        {
            var token = tokens[random.Next(tokens.Count)];
            yield return random.Next(2) == 0
                ? ($"delete '{token.Text}' at {token.SpanStart}", text.Remove(token.SpanStart, token.Span.Length))
                : ($"duplicate '{token.Text}' at {token.SpanStart}", text.Insert(token.Span.End, " " + token.Text));
        }
    }
}
