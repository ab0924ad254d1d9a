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
            .Where(l => l.StartsWith("| [AGD", StringComparison.Ordinal))
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
        builder.Append("| Id | Title | Category | Default severity | ").Append(string.Join(" | ", PresetTests.Modes)).Append(" | Fix | Test code |\n");
        builder.Append("|----|-------|----------|------------------|").Append(string.Concat(PresetTests.Modes.Select(_ => "---|"))).Append("-----|-----------|\n");
        foreach (var descriptor in Repository.Descriptors)
        {
            var hasFix = Repository.Fixers.Any(f => f.FixableDiagnosticIds.Contains(descriptor.Id));
            builder.Append($"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.Title} | {descriptor.Category} | {descriptor.DefaultSeverity} | ")
                .Append(string.Join(" | ", PresetTests.Modes.Select(m => PresetTests.Severity(m, descriptor))))
                .Append(hasFix ? " | Yes" : " | No")
                .Append(TestCode.IsKeptInRelaxedTests(descriptor.Id) ? " | kept |\n" : " | silent |\n");
        }

        builder.Append("\n## Test code\n\n");
        builder.Append("The Test code column is what a rule does in test code under `asyncguard.test_code = relaxed`, the default:\n");
        builder.Append("kept rules find bugs that make a test pass wrongly or hang; silent rules are about thread economy and\n");
        builder.Append("style, which tests ignore on purpose (the measurement is in [precision.md](../precision.md)).\n");
        builder.Append("`asyncguard.test_code = full` treats test code like product code, `off` silences every rule there.\n\n");
        builder.Append("Test code is a project whose `IsTestProject` is `true` (the test SDK sets it; the package makes it visible\n");
        builder.Append("to the analyzers), or one that references xunit, NUnit, MSTest, TUnit or BenchmarkDotNet and does not set\n");
        builder.Append("`IsTestProject` to `false`, or files that an `.editorconfig` section marks:\n\n");
        builder.Append("```ini\n[tests/**.cs]\nasyncguard.test_code_folder = true\n```\n\n");
        builder.Append("`asyncguard.test_code_folder = false` unmarks files of a test project (a shared helper that ships).\n");
        builder.Append("Both keys are read per file, so a folder can also choose its own `asyncguard.test_code`.\n");

        return builder.ToString();
    }
}
