using System;
using System.IO;
using System.Linq;
using System.Text;

namespace AsyncGuard.Tests.Conventions;

/// <summary>
/// docs/rules/README.md is the index of the rules, made from the descriptors; this test keeps
/// it in step (ASYNCGUARD_REGENERATE=1 rewrites it) and checks that the top README's table
/// agrees with it row for row.
/// </summary>
public sealed class DocsIndexTests
{
    [Fact]
    public void RulesIndex_MatchesDescriptors()
    {
        var path = Repository.PathOf("docs", "rules", "README.md");
        var expected = Render();
        if (Environment.GetEnvironmentVariable("ASYNCGUARD_REGENERATE") == "1") File.WriteAllText(path, expected);
        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ReadmeTable_ListsExactlyTheRules()
    {
        var ids = File.ReadAllLines(Repository.PathOf("README.md"))
            .Where(l => l.StartsWith("| [AG", StringComparison.Ordinal))
            .Select(l => l.Substring(3, 7))
            .ToList();
        Assert.Equal(Repository.Descriptors.Select(d => d.Id), ids);
    }

    private static string Render()
    {
        var builder = new StringBuilder();
        builder.Append("# AsyncGuard rules\n\n");
        builder.Append("Generated from the rule descriptors by `DocsIndexTests`; do not edit by hand.\n");
        builder.Append("Presets are chosen with the MSBuild property `AsyncGuardMode` (see the top README);\n");
        builder.Append("a preset column names the severity the rule gets there.\n\n");
        builder.Append("| Id | Title | Category | Default severity | ").Append(string.Join(" | ", PresetTests.Modes)).Append(" | Fix |\n");
        builder.Append("|----|-------|----------|------------------|").Append(string.Concat(PresetTests.Modes.Select(_ => "---|"))).Append("-----|\n");
        foreach (var descriptor in Repository.Descriptors)
        {
            var hasFix = Repository.Fixers.Any(f => f.FixableDiagnosticIds.Contains(descriptor.Id));
            builder.Append($"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.Title} | {descriptor.Category} | {descriptor.DefaultSeverity} | ")
                .Append(string.Join(" | ", PresetTests.Modes.Select(m => PresetTests.Severity(m, descriptor))))
                .Append(hasFix ? " | Yes |\n" : " | No |\n");
        }

        return builder.ToString();
    }
}
