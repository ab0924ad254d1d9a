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
/// Set ASYNCGUARD_TORTURE_SCALE (default 1) for a longer run and ASYNCGUARD_TORTURE_SEED to replay one.
/// </summary>
public sealed class TortureTests
{
    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("ASYNCGUARD_TORTURE_SCALE"), out var s) && s > 0 ? s : 1;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("ASYNCGUARD_TORTURE_SEED"), out var seed) ? seed : 20261121;

    private readonly ITestOutputHelper output;

    public TortureTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task EverySource_CutAndMutated_NothingThrowsAndResultsAreDeterministic()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        int variants = 0, diagnostics = 0, fixes = 0;
        foreach (var source in Corpus.TestInputs.Concat(Corpus.Samples))
        {
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

                    fixes += (await AllRules.ApplyFixesAsync(source, document, found, maxDiagnostics: 3 * Scale)).Count;
                }
                catch (Exception e)
                {
                    failures.Add($"{source.Name} [{what}] (seed {Seed}): {e}\n--- source ---\n{text}");
                }
            }
        }

        output.WriteLine($"seed {Seed}, scale {Scale}: {variants} variants, {diagnostics} diagnostics, {fixes} fixes applied");
        Assert.True(failures.Count == 0, $"{failures.Count} failures (seed {Seed}):\n\n" + string.Join("\n\n", failures.Take(5)));
    }

    [Fact]
    public async Task LargeGeneratedFiles_NothingThrows()
    {
        var failures = new List<string>();
        foreach (var source in Corpus.Generated(Scale))
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
            }
            catch (Exception e)
            {
                failures.Add($"{source.Name}: {e}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>The original, cuts at token boundaries, and single-token deletions and duplications.</summary>
    private static IEnumerable<(string What, string Text)> Variants(string text, Random random)
    {
        yield return ("original", text);
        var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        if (tokens.Count < 2) yield break;

        for (var i = 0; i < 3 * Scale; i++)
        {
            var token = tokens[random.Next(tokens.Count)];
            yield return ($"cut after '{token.Text}' at {token.Span.End}", text[..token.Span.End]);
        }

        for (var i = 0; i < 2 * Scale; i++)
        {
            var token = tokens[random.Next(tokens.Count)];
            yield return random.Next(2) == 0
                ? ($"delete '{token.Text}' at {token.SpanStart}", text.Remove(token.SpanStart, token.Span.Length))
                : ($"duplicate '{token.Text}' at {token.SpanStart}", text.Insert(token.Span.End, " " + token.Text));
        }
    }
}
