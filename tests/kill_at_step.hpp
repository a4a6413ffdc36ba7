#pragma once
// A save_observer that counts a transaction's step boundaries and SIGKILLs its own process at
// the `kill_at`-th (0: never), for the crash tests. With `through_commit`, the boundary after
// the commit point counts too (commit_step() says which one it was).
#include <csignal>
#include <filesystem>
#include <ngxconf/save.hpp>

namespace test {

class kill_at_step : public ngxconf::save_observer {
  public:
    explicit kill_at_step(int kill_at, bool through_commit = false)
        : kill_at_(kill_at), through_commit_(through_commit) {}
    void before_temp_write(const std::filesystem::path&) override { step(); }
    void after_temp_write(const std::filesystem::path&) override { step(); }
    void after_journal_write() override { step(); }
    void after_rename(const std::filesystem::path&, std::size_t) override { step(); }
    void before_commit() override { step(); }
    void after_commit() override {
        if (!through_commit_) return;
        commit_step_ = steps_ + 1;
        step();
    }
    [[nodiscard]] int steps() const { return steps_; }
    [[nodiscard]] int commit_step() const { return commit_step_; }

  private:
    void step() {
        if (++steps_ == kill_at_) ::raise(SIGKILL);
    }
    int kill_at_;
    bool through_commit_;
    int steps_ = 0;
    int commit_step_ = 0;
};

}  // namespace test
