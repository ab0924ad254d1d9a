using Microsoft.CodeAnalysis;
using System.Threading.Tasks;
using AsyncVoid = AsyncGuard.Tests.Verifiers.CSharpAnalyzerVerifier<AsyncGuard.Rules.AsyncVoidAnalyzer>;
using Sleep = AsyncGuard.Tests.Verifiers.CSharpAnalyzerVerifier<AsyncGuard.Rules.BlockingSleepAnalyzer>;

namespace AsyncGuard.Tests.Facts;

/// <summary>
/// The test-code policy (TestCode): which files are test code (IsTestProject, a test framework
/// reference, a folder marked in .editorconfig) and what asyncguard.test_code does there. AGD0001
/// stands for a rule silent in relaxed test code, AGD0012 for one kept on.
/// </summary>
public sealed class TestCodeTests
{
    private static readonly MetadataReference XunitReference = MetadataReference.CreateFromFile(typeof(FactAttribute).Assembly.Location);

    private const string Sleeping = """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                [|Thread.Sleep(100)|];
                await Task.Yield();
            }
        }
        """;

    private const string AsyncVoidMethod = """
        using System.Threading.Tasks;

        class C
        {
            async void [|Run|]() => await Task.Yield();
        }
        """;

    private static string Silent(string markup) => markup.Replace("[|", string.Empty).Replace("|]", string.Empty);

    [Fact]
    public Task ProductCode_RelaxedDefault_Reports() => new Sleep.Test { TestCode = Sleeping }.RunAsync();

    [Fact]
    public Task IsTestProjectTrue_RuleNotKept_DoesNotReport() => new Sleep.Test
    {
        EditorConfig = "build_property.IsTestProject = true",
        TestCode = Silent(Sleeping),
    }.RunAsync();

    [Fact]
    public Task IsTestProjectTrue_RuleKept_Reports() => new AsyncVoid.Test
    {
        EditorConfig = "build_property.IsTestProject = true",
        TestCode = AsyncVoidMethod,
    }.RunAsync();

    [Fact]
    public Task FrameworkReference_IsTestProjectUnset_DoesNotReport() => new Sleep.Test
    {
        TestState = { AdditionalReferences = { XunitReference } },
        // The compilation references xunit; an empty IsTestProject (what a project without the test SDK has) leaves the reference to decide.
        EditorConfig = "build_property.IsTestProject =",
        TestCode = Silent(Sleeping),
    }.RunAsync();

    [Fact]
    public Task FrameworkReference_IsTestProjectFalse_Reports() => new Sleep.Test
    {
        TestState = { AdditionalReferences = { XunitReference } },
        EditorConfig = "build_property.IsTestProject = false",
        TestCode = Sleeping,
    }.RunAsync();

    [Fact]
    public Task FolderKeyTrue_InProductProject_DoesNotReport() => new Sleep.Test
    {
        EditorConfig = "\n[Test0.cs]\nasyncguard.test_code_folder = true",
        TestCode = Silent(Sleeping),
    }.RunAsync();

    [Fact]
    public Task FolderKeyTrue_OtherFile_Reports() => new Sleep.Test
    {
        EditorConfig = "\n[Other.cs]\nasyncguard.test_code_folder = true",
        TestCode = Sleeping,
    }.RunAsync();

    [Fact]
    public Task FolderKeyFalse_InTestProject_Reports() => new Sleep.Test
    {
        EditorConfig = "build_property.IsTestProject = true\n[Test0.cs]\nasyncguard.test_code_folder = false",
        TestCode = Sleeping,
    }.RunAsync();

    [Fact]
    public Task ModeFull_InTestProject_Reports() => new Sleep.Test
    {
        EditorConfig = "build_property.IsTestProject = true\nasyncguard.test_code = full",
        TestCode = Sleeping,
    }.RunAsync();

    [Fact]
    public Task ModeOff_InTestProject_KeptRuleDoesNotReport() => new AsyncVoid.Test
    {
        EditorConfig = "build_property.IsTestProject = true\nasyncguard.test_code = off",
        TestCode = Silent(AsyncVoidMethod),
    }.RunAsync();

    [Fact]
    public Task ModeOff_InProductCode_Reports() => new AsyncVoid.Test
    {
        EditorConfig = "asyncguard.test_code = off",
        TestCode = AsyncVoidMethod,
    }.RunAsync();

    [Fact]
    public Task ModeUnknownValue_InTestProject_ActsAsRelaxed() => new Sleep.Test
    {
        EditorConfig = "build_property.IsTestProject = true\nasyncguard.test_code = sometimes",
        TestCode = Silent(Sleeping),
    }.RunAsync();

    [Fact]
    public void KeptRules_AreDeclaredRules()
    {
        foreach (var id in TestCode.KeptInRelaxedTests)
        {
            Assert.Contains(Conventions.Repository.Descriptors, d => d.Id == id);
        }
    }
}
