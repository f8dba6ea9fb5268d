package io.hmb.conformance.sim;

import io.hmb.adapters.engine.Assistance;
import io.hmb.adapters.engine.Relation;
import io.hmb.adapters.engine.Scheme;
import io.hmb.conformance.sim.Resident.HouseholdRole;
import io.hmb.security.mask.ResidentIdNumber;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic simulated population of one city: the same (city, size, seed) always gives the same
 * people, so a bureau and an insurer or hospital started separately agree on who exists.
 *
 * <p>Households of four: a WORKER (employee scheme, personal account), a SPOUSE (employee with an account
 * in even households, resident scheme otherwise), a CHILD aged 1-17 and a PARENT of the worker aged
 * 62-85 (both resident scheme, no account). Fixed patterns make edge cases easy to find: every 7th
 * household's parent is 低保 (DIBAO) and every 11th's 特困 (TEKUN); every 10th household's worker has
 * a balance of 20 yuan (too little for any premium); every 13th household's spouse is suspended; every
 * 5th household's parent is on the pre-existing list. Household 0 is always healthy. Names, birth days
 * and other balances (1,000 - 6,000 yuan) come from the seeded random.
 *
 * <p>Identity numbers are 18 characters: a district code of the city, the birth day, a sequence and the
 * GB 11643 check character, so they pass every validity check and never collide within the population.
 */
public final class Population {
  /** Ages are counted on this day, so the population does not drift with the wall clock. */
  public static final LocalDate AGE_REFERENCE_DAY = LocalDate.of(2024, 7, 1);
  public static final long LOW_BALANCE_FEN = 2_000;
  /** The population {@code ./hmb simulate} uses unless told otherwise ({@code --seed}, {@code --households}). */
  public static final long DEMO_SEED = 1;
  public static final int DEMO_HOUSEHOLDS = 200;

  private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"};
  private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"};

  private final String city;
  private final List<Resident> residents;
  private final Map<String, Resident> byCert;

  private Population(String city, List<Resident> residents) {
    this.city = city;
    this.residents = Collections.unmodifiableList(residents);
    Map<String, Resident> m = new LinkedHashMap<>();
    residents.forEach(r -> m.put(r.certNumber(), r));
    this.byCert = Collections.unmodifiableMap(m);
  }

  /**
   * The person {@code ./hmb simulate insurer --enrol 1} enrols first: the worker of household 0 (always healthy)
   * of the simulators' default population, whom {@code ./hmb conformance --person seeded} asks about.
   */
  public static Resident seededPerson(String city) {
    return generate(city, DEMO_HOUSEHOLDS, DEMO_SEED).member(0, HouseholdRole.WORKER);
  }

  /** {@code households} households of four in {@code city}, drawn from {@code seed}. */
  public static Population generate(String city, int households, long seed) {
    if (households < 1 || households > 2_000) {
      throw new IllegalArgumentException("households must be 1..2000");
    }
    if (!city.matches("\\d{6}")) {
      throw new IllegalArgumentException("city must be a six-digit admdvs code");
    }
    Random random = new Random(seed * 31 + Long.parseLong(city));
    Set<String> certs = new HashSet<>();
    List<Resident> out = new ArrayList<>();
    for (int h = 0; h < households; h++) {
      String surname = SURNAMES[random.nextInt(SURNAMES.length)];
      LocalDate workerBirth = birthDay(random, 25, 55);
      boolean evenHousehold = h % 2 == 0;
      long workerBalance = h > 0 && h % 10 == 9 ? LOW_BALANCE_FEN : balance(random);
      out.add(person(random, certs, city, surname, workerBirth, out.size(), Scheme.EMPLOYEE, Assistance.NONE, false,
          true, workerBalance, false, h, HouseholdRole.WORKER));
      out.add(person(random, certs, city, SURNAMES[random.nextInt(SURNAMES.length)], birthDay(random, 25, 55), out.size(),
          evenHousehold ? Scheme.EMPLOYEE : Scheme.RESIDENT, Assistance.NONE, h > 0 && h % 13 == 12, evenHousehold,
          evenHousehold ? balance(random) : 0, false, h, HouseholdRole.SPOUSE));
      out.add(person(random, certs, city, surname, birthDay(random, 1, 17), out.size(), Scheme.RESIDENT, Assistance.NONE,
          false, false, 0, false, h, HouseholdRole.CHILD));
      Assistance parentAssistance = h > 0 && h % 11 == 10 ? Assistance.TEKUN
          : h > 0 && h % 7 == 6 ? Assistance.DIBAO : Assistance.NONE;
      out.add(person(random, certs, city, surname, birthDay(random, 62, 85), out.size(), Scheme.RESIDENT,
          parentAssistance, false, false, 0, h > 0 && h % 5 == 4, h, HouseholdRole.PARENT));
    }
    return new Population(city, out);
  }

  private static Resident person(Random random, Set<String> certs, String city, String surname, LocalDate birth, int index,
      Scheme scheme, Assistance assistance, boolean suspended, boolean account, long balanceFen, boolean preexisting,
      int household, HouseholdRole role) {
    String name = surname + GIVEN[random.nextInt(GIVEN.length)] + (random.nextBoolean() ? GIVEN[random.nextInt(GIVEN.length)] : "");
    String district = city.substring(0, 4) + "02";
    String cert;
    int sequence = index % 1000;
    do {
      String first17 = district + birth.toString().replace("-", "") + String.format("%03d", sequence);
      cert = first17 + ResidentIdNumber.checkCharacter(first17);
      sequence = (sequence + 1) % 1000;
    } while (!certs.add(cert));
    return new Resident(cert, name, birth, "PSN" + city + String.format("%07d", index), city, scheme, assistance, suspended,
        account, balanceFen, preexisting, household, role);
  }

  private static LocalDate birthDay(Random random, int minAge, int maxAge) {
    int age = minAge + random.nextInt(maxAge - minAge + 1);
    return AGE_REFERENCE_DAY.minusYears(age).minusDays(1 + random.nextInt(360));
  }

  private static long balance(Random random) {
    return 100_000 + random.nextInt(500_001);
  }

  public String city() {
    return city;
  }

  public List<Resident> residents() {
    return residents;
  }

  public int households() {
    return residents.size() / 4;
  }

  public Optional<Resident> find(String certNumber) {
    return Optional.ofNullable(byCert.get(certNumber));
  }

  /** The member of household {@code h} with {@code role}. */
  public Resident member(int household, HouseholdRole role) {
    if (household < 0 || household >= households()) {
      throw new IllegalArgumentException("no household " + household);
    }
    return residents.get(household * 4 + role.ordinal());
  }

  /**
   * How {@code person} stands to {@code payer} (the personal-account holder): SELF, a direct family
   * member (spouse, child, parent, parent-in-law) or OTHER (other households, grandchildren, ...).
   */
  public static Relation relation(Resident person, Resident payer) {
    if (person.certNumber().equals(payer.certNumber())) {
      return Relation.SELF;
    }
    if (person.household() != payer.household()) {
      return Relation.OTHER;
    }
    return switch (payer.role()) {
      case WORKER -> switch (person.role()) {
        case SPOUSE -> Relation.SPOUSE;
        case CHILD -> Relation.CHILD;
        case PARENT -> Relation.PARENT;
        case WORKER -> Relation.SELF;
      };
      case SPOUSE -> switch (person.role()) {
        case WORKER -> Relation.SPOUSE;
        case CHILD -> Relation.CHILD;
        case PARENT -> Relation.PARENT_IN_LAW;
        case SPOUSE -> Relation.SELF;
      };
      case CHILD -> person.role() == HouseholdRole.WORKER || person.role() == HouseholdRole.SPOUSE ? Relation.PARENT
          : Relation.OTHER;
      // A child-in-law or grandchild is not a direct family member (seed 004 三(二)3).
      case PARENT -> person.role() == HouseholdRole.WORKER ? Relation.CHILD : Relation.OTHER;
    };
  }

  @Override
  public String toString() {
    return "Population{city=" + city + ", people=" + residents.size() + "}";
  }
}
