namespace Harness.TestKit;
